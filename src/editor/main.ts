// Entry point of the editor's page (editor/index.html, served at /editor/).
import '../player/fonts.css';
import './ccsp-editor.ts';

document.body.append(document.createElement('ccsp-editor'));
