// Entry point of the editor's page (editor/index.html, served at /editor/).
import '../player/fonts.css';
import './ccsp-editor.ts';

// The channel page's action bar stays at the top of large screens: a field that takes the
// focus scrolls clear of it.
document.documentElement.style.scrollPaddingTop = '5rem';
document.body.append(document.createElement('ccsp-editor'));
