// Entry point of the screen page (index.html).
import './ccsp-player.ts';
