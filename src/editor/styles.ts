import { css } from 'lit';

/**
 * The editor's look: sober, official, readable on a 360 px phone and at 1280×800.
 * Colours and their contrast on white (WCAG 2.x): text #1a1d1b 16.9:1, muted
 * #4a524d 8.3:1, green #00633a 7.1:1, red #b00020 7.0:1, link blue #0b4f8a 8.6:1.
 * Focus is a thick dark-blue ring with a yellow halo, visible on every background.
 */
export const editorStyles = css`
  :host {
    --ed-fg: #1a1d1b;
    --ed-muted: #4a524d;
    --ed-bg: #f6f7f5;
    --ed-card: #ffffff;
    --ed-line: #c9cec9;
    --ed-green: #00633a;
    --ed-green-light: #e6f2ec;
    --ed-red: #b00020;
    --ed-red-light: #fdecee;
    --ed-amber-light: #fff6d6;
    --ed-link: #0b4f8a;
    --ed-focus: #0b3d91;
    display: block;
    color: var(--ed-fg);
    font-family: 'Noto Sans', system-ui, sans-serif;
    font-size: 1rem;
    line-height: 1.5;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h1 {
    font-size: 1.6rem;
    line-height: 1.25;
    margin: 0 0 0.75rem;
  }
  h2 {
    font-size: 1.25rem;
    line-height: 1.3;
    margin: 1.5rem 0 0.5rem;
  }
  h3 {
    font-size: 1.05rem;
    margin: 1rem 0 0.5rem;
  }
  h1:focus,
  h2:focus {
    outline: none;
  }
  a {
    color: var(--ed-link);
  }
  :focus-visible {
    outline: 3px solid var(--ed-focus);
    outline-offset: 2px;
    box-shadow: 0 0 0 6px #ffdd00;
  }
  p {
    margin: 0.25rem 0 0.75rem;
  }
  .muted {
    color: var(--ed-muted);
  }
  .card {
    background: var(--ed-card);
    border: 1px solid var(--ed-line);
    border-radius: 6px;
    padding: 1rem;
    margin: 0 0 1rem;
  }
  fieldset {
    border: 1px solid var(--ed-line);
    border-radius: 6px;
    padding: 0.75rem 1rem 1rem;
    margin: 0 0 1rem;
    min-width: 0;
    background: var(--ed-card);
  }
  fieldset fieldset {
    background: #fbfbfa;
  }
  /* A phone: nested groups keep their width for the fields. */
  @media (max-width: 30rem) {
    fieldset {
      padding: 0.5rem 0.6rem 0.75rem;
    }
  }
  legend {
    font-weight: 700;
    padding: 0 0.25rem;
  }
  .field {
    margin: 0 0 0.9rem;
    max-width: 40rem;
  }
  .field label,
  .label {
    display: block;
    font-weight: 600;
    margin-bottom: 0.2rem;
  }
  .hint {
    display: block;
    color: var(--ed-muted);
    font-size: 0.9rem;
    margin: 0 0 0.25rem;
  }
  input[type='text'],
  input[type='password'],
  input[type='number'],
  input[type='url'],
  input[type='date'],
  input[type='time'],
  select,
  textarea {
    font: inherit;
    color: inherit;
    width: 100%;
    max-width: 100%;
    padding: 0.45rem 0.55rem;
    border: 2px solid #6b736e;
    border-radius: 4px;
    background: #fff;
  }
  input[type='number'] {
    max-width: 9rem;
  }
  input[type='date'],
  input[type='time'] {
    max-width: 12rem;
  }
  textarea {
    min-height: 6rem;
    resize: vertical;
  }
  [aria-invalid='true'] {
    border-color: var(--ed-red);
  }
  .error {
    color: var(--ed-red);
    font-weight: 600;
    margin: 0.25rem 0;
  }
  .error::before {
    content: '⚠ ';
  }
  .warning {
    background: var(--ed-amber-light);
    border-left: 4px solid #8a6d00;
    padding: 0.25rem 0.5rem;
    margin: 0.25rem 0;
  }
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1.25rem;
  }
  .choices label {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    font-weight: 400;
    min-height: 2.25rem;
  }
  input[type='checkbox'],
  input[type='radio'] {
    width: 1.2rem;
    height: 1.2rem;
    margin: 0;
  }
  button,
  .button {
    font: inherit;
    font-weight: 600;
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    min-height: 2.5rem;
    padding: 0.35rem 0.9rem;
    border: 2px solid var(--ed-green);
    border-radius: 4px;
    background: #fff;
    color: var(--ed-green);
    cursor: pointer;
    text-decoration: none;
  }
  button.primary,
  .button.primary {
    background: var(--ed-green);
    color: #fff;
  }
  button.danger {
    border-color: var(--ed-red);
    color: var(--ed-red);
  }
  button.small {
    min-height: 2rem;
    padding: 0.15rem 0.55rem;
    font-size: 0.9rem;
  }
  button:disabled {
    border-color: #9aa19c;
    color: #5f6661;
    background: #eceeec;
    cursor: not-allowed;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin: 0.5rem 0;
  }
  .status {
    min-height: 1.5rem;
  }
  .notice {
    border-left: 5px solid var(--ed-green);
    background: var(--ed-green-light);
    padding: 0.5rem 0.75rem;
    margin: 0 0 1rem;
  }
  .notice.bad {
    border-color: var(--ed-red);
    background: var(--ed-red-light);
  }
  .notice.warn {
    border-color: #8a6d00;
    background: var(--ed-amber-light);
  }
  .notice:empty {
    display: none;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    background: var(--ed-card);
  }
  th,
  td {
    text-align: left;
    vertical-align: top;
    padding: 0.45rem 0.5rem;
    border-bottom: 1px solid var(--ed-line);
  }
  th {
    font-weight: 700;
    background: #eef0ee;
  }
  .table-wrap {
    overflow-x: auto;
    /* Its visually hidden labels are positioned: contained here, they do not widen a phone's page. */
    position: relative;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .tag {
    display: inline-block;
    padding: 0 0.45rem;
    border-radius: 3px;
    font-size: 0.85rem;
    font-weight: 700;
    background: #eef0ee;
    border: 1px solid var(--ed-line);
  }
  .tag.urgent {
    background: var(--ed-red-light);
    border-color: var(--ed-red);
    color: var(--ed-red);
  }
  .tag.submitted {
    background: var(--ed-amber-light);
  }
  .tag.editing {
    background: #e8eef7;
  }
`;
