import { css } from 'lit';

/**
 * Shared by every screen component. Sizes are in vmin so that one stylesheet fits
 * 1920×1080 (the reference), 3840×2160 and 1080×1920 portrait: 4.44vmin is 48 px
 * on any screen whose short side is 1080 px (issue 3, "Layout").
 *
 * Colours, with their contrast ratio on the background #0b2a1e (WCAG 2.x):
 * white #ffffff 14.6:1, yellow #fcd116 10.9:1; dark text #0b2a1e on yellow 10.9:1,
 * black on white 21:1 (QR code). The green #008751 is decoration only, never text.
 */
export const screenStyles = css`
  :host {
    --ccsp-bg: #0b2a1e;
    --ccsp-fg: #ffffff;
    --ccsp-accent: #fcd116;
    --ccsp-line: #008751;
    --ccsp-body: 4.44vmin;
    --ccsp-title: 6.4vmin;
    --ccsp-gap: 3vmin;
    color: var(--ccsp-fg);
    font-family: 'Noto Sans', 'DejaVu Sans', system-ui, sans-serif;
    font-size: var(--ccsp-body);
    /* Noto Sans glyphs reach 1.36em from top to bottom: a smaller line box lets them overflow it. */
    line-height: 1.4;
  }
  h1,
  h2,
  p,
  ol,
  ul,
  figure {
    margin: 0;
  }
  h1 {
    font-size: var(--ccsp-title);
    line-height: 1.2;
    font-weight: 700;
    color: var(--ccsp-fg);
  }
  .clamp {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: var(--lines, 3);
    line-clamp: var(--lines, 3);
    overflow: hidden;
    overflow-wrap: anywhere;
    /* Room for the descenders of the last line, which the line box of a title does not hold. */
    padding-bottom: 0.15em;
  }
  .badge {
    display: inline-block;
    align-self: start;
    background: var(--ccsp-accent);
    color: var(--ccsp-bg);
    font-weight: 700;
    padding: 0.1em 0.5em;
    border-radius: 0.3em;
    white-space: nowrap;
    max-width: 100%;
    overflow: hidden;
    text-overflow: ellipsis;
  }
`;

/** An item fills its layer; the layer is opaque so that nothing underneath shows through. */
export const itemStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    width: 100%;
    height: 100%;
    background: var(--ccsp-bg);
    overflow: hidden;
  }
`;
