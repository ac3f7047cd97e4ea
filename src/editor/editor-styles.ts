import { css } from 'lit';

/**
 * Shared by the preview, media and fleet components: readable on a cheap laptop
 * in a bright office, large targets, a focus ring that is always visible (WCAG
 * 2.2 AA: text contrast ≥ 4.5:1, focus indicator ≥ 3:1). Same palette, buttons and
 * focus ring as the pages' styles.ts, so that a picker inside a form looks like it.
 */
export const editorStyles = css`
  :host {
    --ed-fg: #1a1d1b;
    --ed-muted: #4a524d;
    --ed-bg: #ffffff;
    --ed-page: #f6f7f5;
    --ed-line: #c9cec9;
    --ed-accent: #00633a;
    --ed-focus: #0b3d91;
    --ed-danger: #b00020;
    --ed-danger-bg: #fdecee;
    --ed-warn-bg: #fff6d6;
    --ed-ok: #1e6b35;
    color: var(--ed-fg);
    font-family: 'Noto Sans', system-ui, sans-serif;
    font-size: 1rem;
    line-height: 1.45;
  }
  :focus-visible {
    outline: 3px solid var(--ed-focus);
    outline-offset: 2px;
    box-shadow: 0 0 0 6px #ffdd00;
  }
  button,
  .button {
    font: inherit;
    min-height: 2.5rem;
    padding: 0.35rem 0.9rem;
    font-weight: 600;
    border: 2px solid var(--ed-accent);
    border-radius: 4px;
    background: var(--ed-bg);
    color: var(--ed-accent);
    cursor: pointer;
  }
  button.primary {
    background: var(--ed-accent);
    color: #fff;
  }
  button:disabled {
    border-color: #9aa19c;
    color: #5f6661;
    background: #eceeec;
    cursor: not-allowed;
  }
  input,
  select {
    font: inherit;
  }
  input[type='date'],
  input[type='time'],
  input[type='search'] {
    min-height: 2.3rem;
    padding: 0.2rem 0.4rem;
    border: 1px solid var(--ed-muted);
    border-radius: 0.3rem;
  }
  .error {
    color: var(--ed-danger);
    background: var(--ed-danger-bg);
    border-left: 4px solid var(--ed-danger);
    padding: 0.5rem 0.75rem;
    margin: 0.5rem 0;
  }
  .muted {
    color: var(--ed-muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    vertical-align: top;
    padding: 0.4rem 0.6rem;
    border-bottom: 1px solid var(--ed-line);
  }
  th {
    font-weight: 600;
  }
  progress {
    width: 100%;
    height: 0.9rem;
    accent-color: var(--ed-accent);
  }
`;
