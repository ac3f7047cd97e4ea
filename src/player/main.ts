/// <reference types="vite/client" />
// Entry point of the screen page (index.html): the fonts, then the player.
import './fonts.css';
import './ccsp-player.ts';
