/**
 * The page inside the editor's preview frames (editor/preview-frame.html): it
 * only defines the screen's and the sign's components. `<ccsp-editor-preview>`
 * creates them in this page and sets their properties.
 *
 * Why a frame: the player sizes everything in vmin and switches layout with
 * `@media (orientation: portrait)`, both relative to the viewport. A frame of
 * 1920×1080 (or 1080×1920) CSS pixels is that viewport, so the preview lays out
 * exactly as the screen does; the editor then scales the frame down.
 */
import '../player/ccsp-player.ts';
import '../player/ccsp-sign.ts';
