/**
 * The channel page's form controls, as template functions that all write through
 * one FormContext by JSON pointer. Each field's id is `f<pointer>`, its error
 * `e<pointer>` and its hint `h<pointer>`, all in the channel page's shadow root,
 * so a problem's pointer finds its field, labels and aria-describedby resolve, and
 * the summary's links can focus it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { WEEKDAYS } from '../core/index.ts';
import type { PlaylistDraft } from './api-types.ts';
import type { ShownProblem } from './problems.ts';
import { DAY_LABELS, LANGUAGES } from './labels.ts';
import { toggleDay, type Weekday } from './toggle-day.ts';
import './ccsp-editor-media-picker.ts';

export interface FormContext {
  playlist: PlaylistDraft;
  /** Problems by the field that shows them (problems.ts placeProblems). */
  problems: ReadonlyMap<string, readonly ShownProblem[]>;
  warnings: ReadonlyMap<string, readonly ShownProblem[]>;
  /** Sets (undefined: removes) the value at a pointer. */
  set(pointer: string, value: unknown): void;
  /** Changes the list at a pointer (its items' pointers move: server problems under it are dropped). */
  list(pointer: string, change: (list: unknown[]) => unknown[], dropEmpty?: boolean): void;
}

export const fieldId = (pointer: string) => `f${pointer}`;
const errorId = (pointer: string) => `e${pointer}`;
const hintId = (pointer: string) => `h${pointer}`;

export function hasProblem(ctx: FormContext, pointer: string): boolean {
  return (ctx.problems.get(pointer)?.length ?? 0) > 0;
}

/** The ids a control is described by: its hint, its problems, its warnings. */
export function describedBy(ctx: FormContext, pointer: string, hint: boolean): string | undefined {
  const ids = [
    hint ? hintId(pointer) : '',
    ctx.problems.has(pointer) || ctx.warnings.has(pointer) ? errorId(pointer) : '',
  ].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** The problems and warnings placed at a pointer, under its field. */
export function messagesAt(ctx: FormContext, pointer: string): TemplateResult | typeof nothing {
  const problems = ctx.problems.get(pointer) ?? [];
  const warnings = ctx.warnings.get(pointer) ?? [];
  if (problems.length === 0 && warnings.length === 0) return nothing;
  return html`<div id=${errorId(pointer)}>
    ${problems.map((p) => html`<p class="error">${p.message}</p>`)}
    ${warnings.map((w) => html`<p class="warning">Attention : ${w.message}</p>`)}
  </div>`;
}

function hintOf(pointer: string, hint: string | undefined) {
  return hint ? html`<span class="hint" id=${hintId(pointer)}>${hint}</span>` : nothing;
}

function optionalMark(required: boolean | undefined) {
  return required ? nothing : html` <span class="muted">(facultatif)</span>`;
}

export interface TextOptions {
  label: string;
  hint?: string;
  required?: boolean;
  max?: number;
  multiline?: boolean;
  type?: 'text' | 'url';
  lang?: string;
}

/** A text field; an optional one left empty is removed from the draft. */
export function textField(ctx: FormContext, pointer: string, value: unknown, o: TextOptions) {
  const onInput = (e: Event) => {
    const v = (e.target as HTMLInputElement).value;
    ctx.set(pointer, v === '' && !o.required ? undefined : v);
  };
  const invalid = hasProblem(ctx, pointer) ? 'true' : 'false';
  const text = typeof value === 'string' ? value : '';
  return html`<div class="field">
    <label for=${fieldId(pointer)}>${o.label}${optionalMark(o.required)}</label>
    ${hintOf(pointer, o.hint)}
    ${
      o.multiline
        ? html`<textarea
            id=${fieldId(pointer)}
            .value=${live(text)}
            maxlength=${ifDefined(o.max)}
            lang=${ifDefined(o.lang)}
            aria-invalid=${invalid}
            aria-describedby=${ifDefined(describedBy(ctx, pointer, Boolean(o.hint)))}
            @input=${onInput}
          ></textarea>`
        : html`<input
            id=${fieldId(pointer)}
            type=${o.type ?? 'text'}
            .value=${live(text)}
            maxlength=${ifDefined(o.max)}
            lang=${ifDefined(o.lang)}
            aria-invalid=${invalid}
            aria-describedby=${ifDefined(describedBy(ctx, pointer, Boolean(o.hint)))}
            @input=${onInput}
          />`
    }
    ${messagesAt(ctx, pointer)}
  </div>`;
}

/** A whole number field (seconds, minutes); empty removes it. */
export function numberField(
  ctx: FormContext,
  pointer: string,
  value: unknown,
  o: { label: string; hint?: string; required?: boolean; min?: number; max?: number },
) {
  const onInput = (e: Event) => {
    const raw = (e.target as HTMLInputElement).value.trim().replace(',', '.');
    ctx.set(pointer, raw === '' ? undefined : Number(raw));
  };
  return html`<div class="field">
    <label for=${fieldId(pointer)}>${o.label}${optionalMark(o.required)}</label>
    ${hintOf(pointer, o.hint)}
    <input
      id=${fieldId(pointer)}
      type="number"
      inputmode="numeric"
      min=${ifDefined(o.min)}
      max=${ifDefined(o.max)}
      .value=${live(typeof value === 'number' && Number.isFinite(value) ? String(value) : '')}
      aria-invalid=${hasProblem(ctx, pointer) ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy(ctx, pointer, Boolean(o.hint)))}
      @input=${onInput}
    />
    ${messagesAt(ctx, pointer)}
  </div>`;
}

/** A list of choices; `emptyLabel` offers "none" (removes the field). */
export function selectField(
  ctx: FormContext,
  pointer: string,
  value: unknown,
  o: {
    label: string;
    hint?: string;
    options: readonly { value: string; label: string }[];
    emptyLabel?: string;
  },
) {
  const current = typeof value === 'string' ? value : '';
  const options =
    current && !o.options.some((x) => x.value === current)
      ? [...o.options, { value: current, label: current }]
      : o.options;
  return html`<div class="field">
    <label for=${fieldId(pointer)}>${o.label}</label>
    ${hintOf(pointer, o.hint)}
    <select
      id=${fieldId(pointer)}
      aria-invalid=${hasProblem(ctx, pointer) ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy(ctx, pointer, Boolean(o.hint)))}
      @change=${(e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        ctx.set(pointer, v === '' ? undefined : v);
      }}
    >
      ${
        o.emptyLabel !== undefined
          ? html`<option value="" ?selected=${current === ''}>${o.emptyLabel}</option>`
          : nothing
      }
      ${options.map((x) => html`<option value=${x.value} ?selected=${x.value === current}>${x.label}</option>`)}
    </select>
    ${messagesAt(ctx, pointer)}
  </div>`;
}

export function languageField(ctx: FormContext, pointer: string, value: unknown, label = 'Langue') {
  return selectField(ctx, pointer, value, {
    label,
    options: LANGUAGES.map((l) => ({ value: l.tag, label: l.label })),
  });
}

/** Radio buttons in a fieldset; `toValue` maps the chosen option to what is stored. */
export function radioGroup(
  ctx: FormContext,
  pointer: string,
  current: string,
  o: {
    legend: string;
    hint?: string;
    options: readonly { value: string; label: string }[];
    store: (v: string) => unknown;
  },
) {
  const name = fieldId(pointer);
  return html`<fieldset
    id=${fieldId(pointer)}
    tabindex="-1"
    aria-describedby=${ifDefined(describedBy(ctx, pointer, Boolean(o.hint)))}
  >
    <legend>${o.legend}</legend>
    ${hintOf(pointer, o.hint)}
    <div class="choices">
      ${o.options.map(
        (x) =>
          html`<label
            ><input
              type="radio"
              name=${name}
              value=${x.value}
              .checked=${live(x.value === current)}
              @change=${() => ctx.set(pointer, o.store(x.value))}
            />${x.label}</label
          >`,
      )}
    </div>
    ${messagesAt(ctx, pointer)}
  </fieldset>`;
}

/** A checkbox for each weekday; `change` gets the days ticked after the click, in the week's order. */
export function weekdayChoices(days: readonly string[], change: (days: Weekday[]) => void) {
  return html`<div class="choices">
    ${WEEKDAYS.map(
      (d) =>
        html`<label
          ><input
            type="checkbox"
            .checked=${live(days.includes(d))}
            @change=${(e: Event) => change(toggleDay(days, d, (e.target as HTMLInputElement).checked))}
          />${DAY_LABELS[d]}</label
        >`,
    )}
  </div>`;
}

/** A day, optionally with a time: `2026-12-12` or `2026-12-12T12:00`. */
export function dateTimeField(
  ctx: FormContext,
  pointer: string,
  value: unknown,
  o: { label: string; hint?: string; timeLabel: string; required?: boolean },
) {
  const text = typeof value === 'string' ? value : '';
  const day = text.slice(0, 10);
  const time = text.length > 10 ? text.slice(11, 16) : '';
  const store = (d: string, t: string) => ctx.set(pointer, d === '' ? undefined : t ? `${d}T${t}` : d);
  const describe = describedBy(ctx, pointer, Boolean(o.hint));
  return html`<div class="field datetime">
    <label for=${fieldId(pointer)}>${o.label}${optionalMark(o.required)}</label>
    ${hintOf(pointer, o.hint)}
    <div class="actions">
      <input
        id=${fieldId(pointer)}
        type="date"
        .value=${live(day)}
        aria-invalid=${hasProblem(ctx, pointer) ? 'true' : 'false'}
        aria-describedby=${ifDefined(describe)}
        @input=${(e: Event) => store((e.target as HTMLInputElement).value, time)}
      />
      <label class="inline" for=${`${fieldId(pointer)}@heure`}>${o.timeLabel}</label>
      <input
        id=${`${fieldId(pointer)}@heure`}
        type="time"
        .value=${live(time)}
        ?disabled=${day === ''}
        aria-describedby=${ifDefined(describe)}
        @input=${(e: Event) => store(day, (e.target as HTMLInputElement).value)}
      />
    </div>
    ${messagesAt(ctx, pointer)}
  </div>`;
}

/** A time of day (HH:MM). */
export function timeField(ctx: FormContext, pointer: string, value: unknown, label: string) {
  return html`<div class="field time">
    <label for=${fieldId(pointer)}>${label}</label>
    <input
      id=${fieldId(pointer)}
      type="time"
      .value=${live(typeof value === 'string' ? value : '')}
      aria-invalid=${hasProblem(ctx, pointer) ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy(ctx, pointer, false))}
      @input=${(e: Event) => ctx.set(pointer, (e.target as HTMLInputElement).value || undefined)}
    />
    ${messagesAt(ctx, pointer)}
  </div>`;
}

/** A file from the media library, chosen or uploaded with `<ccsp-editor-media-picker>`. */
export function mediaField(
  ctx: FormContext,
  pointer: string,
  value: unknown,
  o: {
    label: string;
    accept: 'image' | 'video' | 'captions' | 'hls';
    hint?: string;
    required?: boolean;
    removeLabel: string;
  },
) {
  const name = typeof value === 'string' ? value : '';
  return html`<div
    class="field media"
    role="group"
    aria-labelledby=${`l${pointer}`}
    aria-describedby=${ifDefined(describedBy(ctx, pointer, Boolean(o.hint)))}
  >
    <span class="label" id=${`l${pointer}`}>${o.label}${optionalMark(o.required)}</span>
    ${hintOf(pointer, o.hint)}
    <ccsp-editor-media-picker
      id=${fieldId(pointer)}
      accept=${o.accept}
      label=${o.label}
      .value=${name}
      @change=${(e: CustomEvent<{ name?: string }>) => {
        // Only the picker's own event: a native change from inside it carries no detail.
        if (e.detail && typeof e.detail === 'object') ctx.set(pointer, e.detail.name || undefined);
      }}
    ></ccsp-editor-media-picker>
    ${
      name && !o.required
        ? html`<button type="button" class="small" @click=${() => ctx.set(pointer, undefined)}>
            ${o.removeLabel}
          </button>`
        : nothing
    }
    ${messagesAt(ctx, pointer)}
  </div>`;
}

/** Up, down and remove buttons for the entry of a list, named after it for screen readers. */
export function listButtons(
  ctx: FormContext,
  listPointer: string,
  index: number,
  length: number,
  what: string,
  o: { minLength?: number } = {},
) {
  const move = (to: number) =>
    ctx.list(listPointer, (l) => {
      const copy = [...l];
      const [x] = copy.splice(index, 1);
      copy.splice(to, 0, x);
      return copy;
    });
  return html`<div class="actions">
    ${
      length > 1
        ? html`<button type="button" class="small" ?disabled=${index === 0} @click=${() => move(index - 1)}>
              Monter<span class="visually-hidden"> ${what}</span>
            </button>
            <button
              type="button"
              class="small"
              ?disabled=${index === length - 1}
              @click=${() => move(index + 1)}
            >
              Descendre<span class="visually-hidden"> ${what}</span>
            </button>`
        : nothing
    }
    <button
      type="button"
      class="small danger"
      ?disabled=${length <= (o.minLength ?? 0)}
      @click=${() => ctx.list(listPointer, (l) => l.filter((_, i) => i !== index), true)}
    >
      Supprimer<span class="visually-hidden"> ${what}</span>
    </button>
  </div>`;
}
