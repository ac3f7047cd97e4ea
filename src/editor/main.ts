// Entry point of the editor's page (editor/index.html, served at /editor/).
import '../player/fonts.css';

const main = document.createElement('main');
main.textContent = 'Éditeur en construction.';
document.body.append(main);
