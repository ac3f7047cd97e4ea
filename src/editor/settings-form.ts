/**
 * The channel's settings form: the centre, opening hours by weekday, closures,
 * Benin's public holidays, the sign's messages and the ticker. Template functions
 * over the channel page's FormContext (form-fields.ts).
 */
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { DEPARTMENTS } from '../core/index.ts';
import {
  describedBy,
  fieldId,
  languageField,
  listButtons,
  messagesAt,
  selectField,
  textField,
  timeField,
  weekdayChoices,
  type FormContext,
} from './form-fields.ts';

interface Hours {
  days?: string[];
  open?: string;
  close?: string;
}

function hoursForm(ctx: FormContext) {
  const hours = (ctx.playlist.hours ?? []) as Hours[];
  return html`<fieldset id=${fieldId('/hours')} tabindex="-1">
    <legend>Heures d’ouverture</legend>
    <p class="hint">
      Une plage par horaire : par exemple du lundi au vendredi de 08:00 à 12:30, puis une autre de 15:00 à
      18:30.
    </p>
    ${hours.map((h, i) => {
      const at = `/hours/${i}`;
      const days = h.days ?? [];
      return html`<fieldset id=${fieldId(at)} tabindex="-1">
        <legend>Plage d’ouverture ${i + 1}</legend>
        <fieldset
          id=${fieldId(`${at}/days`)}
          tabindex="-1"
          aria-describedby=${ifDefined(describedBy(ctx, `${at}/days`, false))}
        >
          <legend>Jours</legend>
          ${weekdayChoices(days, (next) => ctx.set(`${at}/days`, next))} ${messagesAt(ctx, `${at}/days`)}
        </fieldset>
        <div class="actions">
          ${timeField(ctx, `${at}/open`, h.open, 'Ouvre à')}
          ${timeField(ctx, `${at}/close`, h.close, 'Ferme à')}
        </div>
        ${messagesAt(ctx, at)} ${listButtons(ctx, '/hours', i, hours.length, `la plage d’ouverture ${i + 1}`)}
      </fieldset>`;
    })}
    <button
      type="button"
      class="small"
      ?disabled=${hours.length >= 14}
      @click=${() =>
        ctx.list('/hours', (l) => [
          ...l,
          { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '12:30' },
        ])}
    >
      Ajouter une plage d’ouverture
    </button>
    ${messagesAt(ctx, '/hours')}
  </fieldset>`;
}

interface Closure {
  from?: string;
  to?: string;
  reason?: string;
}

function closuresForm(ctx: FormContext) {
  const closures = (ctx.playlist.closures ?? []) as Closure[];
  const holidays = ctx.playlist.publicHolidays;
  const except = holidays?.except ?? [];
  return html`<fieldset id=${fieldId('/closures')} tabindex="-1">
      <legend>Fermetures exceptionnelles</legend>
      ${closures.map((c, i) => {
        const at = `/closures/${i}`;
        return html`<fieldset id=${fieldId(at)} tabindex="-1">
          <legend>Fermeture ${i + 1}</legend>
          <div class="actions">
            ${dayField(ctx, `${at}/from`, c.from, 'Premier jour fermé', true)}
            ${dayField(ctx, `${at}/to`, c.to, 'Dernier jour fermé', false)}
          </div>
          ${textField(ctx, `${at}/reason`, c.reason, { label: 'Motif', required: true, max: 120 })}
          ${messagesAt(ctx, at)} ${listButtons(ctx, '/closures', i, closures.length, `la fermeture ${i + 1}`)}
        </fieldset>`;
      })}
      <button
        type="button"
        class="small"
        @click=${() => ctx.list('/closures', (l) => [...l, { from: '', reason: '' }])}
      >
        Ajouter une fermeture
      </button>
      ${messagesAt(ctx, '/closures')}
    </fieldset>
    <fieldset id=${fieldId('/publicHolidays')} tabindex="-1">
      <legend>Jours fériés</legend>
      <div class="choices">
        <label
          ><input
            type="checkbox"
            .checked=${live(Boolean(holidays))}
            @change=${(e: Event) =>
              ctx.set(
                '/publicHolidays',
                (e.target as HTMLInputElement).checked ? { calendar: 'bj' } : undefined,
              )}
          />Fermé les jours fériés légaux du Bénin</label
        >
      </div>
      ${
        holidays
          ? html`<p class="hint">
                Les fêtes musulmanes sont des estimations : quand le décret fixe un autre jour, ajoutez le
                vrai jour aux fermetures et le jour estimé aux exceptions.
              </p>
              <fieldset id=${fieldId('/publicHolidays/except')} tabindex="-1">
                <legend>Jours fériés où le centre reste ouvert</legend>
                ${except.map(
                  (d, i) =>
                    html`<div class="actions">
                      ${dayField(ctx, `/publicHolidays/except/${i}`, d, `Exception ${i + 1}`, true)}
                      ${listButtons(ctx, '/publicHolidays/except', i, except.length, `l’exception ${i + 1}`)}
                    </div>`,
                )}
                <button
                  type="button"
                  class="small"
                  @click=${() => ctx.list('/publicHolidays/except', (l) => [...l, ''])}
                >
                  Ajouter une exception
                </button>
                ${messagesAt(ctx, '/publicHolidays/except')}
              </fieldset>`
          : ''
      }
      ${messagesAt(ctx, '/publicHolidays')}
    </fieldset>`;
}

function dayField(ctx: FormContext, pointer: string, value: unknown, label: string, required: boolean) {
  return html`<div class="field">
    <label for=${fieldId(pointer)}
      >${label}${required ? '' : html` <span class="muted">(facultatif)</span>`}</label
    >
    <input
      id=${fieldId(pointer)}
      type="date"
      .value=${live(typeof value === 'string' ? value : '')}
      aria-invalid=${(ctx.problems.get(pointer)?.length ?? 0) > 0 ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy(ctx, pointer, false))}
      @input=${(e: Event) => {
        const v = (e.target as HTMLInputElement).value;
        ctx.set(pointer, v === '' && !required ? undefined : v);
      }}
    />
    ${messagesAt(ctx, pointer)}
  </div>`;
}

interface Line {
  text?: string;
  lang?: string;
}

function signForm(ctx: FormContext) {
  const sign = ctx.playlist.sign ?? { open: '', closed: '' };
  const notices = (sign.notices ?? []) as Line[];
  return html`<fieldset id=${fieldId('/sign')} tabindex="-1">
    <legend>Enseigne lumineuse</legend>
    ${textField(ctx, '/sign/open', sign.open, {
      label: 'Message quand le centre est ouvert',
      required: true,
      max: 64,
    })}
    ${textField(ctx, '/sign/closed', sign.closed, {
      label: 'Message quand le centre est fermé',
      required: true,
      max: 64,
      hint: '« {reouverture} » devient l’heure de réouverture, par exemple « demain 8 h ».',
    })}
    <fieldset id=${fieldId('/sign/notices')} tabindex="-1">
      <legend>Messages d’information de l’enseigne</legend>
      ${notices.map(
        (n, i) =>
          html`<fieldset id=${fieldId(`/sign/notices/${i}`)} tabindex="-1">
            <legend>Message ${i + 1}</legend>
            ${textField(ctx, `/sign/notices/${i}/text`, n.text, { label: 'Texte', required: true, max: 64 })}
            ${languageField(ctx, `/sign/notices/${i}/lang`, n.lang ?? 'fr')}
            ${messagesAt(ctx, `/sign/notices/${i}`)}
            ${listButtons(ctx, '/sign/notices', i, notices.length, `le message ${i + 1}`)}
          </fieldset>`,
      )}
      <button
        type="button"
        class="small"
        ?disabled=${notices.length >= 20}
        @click=${() => ctx.list('/sign/notices', (l) => [...l, { text: '', lang: 'fr' }])}
      >
        Ajouter un message
      </button>
      ${messagesAt(ctx, '/sign/notices')}
    </fieldset>
    ${messagesAt(ctx, '/sign')}
  </fieldset>`;
}

function tickerForm(ctx: FormContext) {
  const ticker = (ctx.playlist.ticker ?? []) as Line[];
  return html`<fieldset id=${fieldId('/ticker')} tabindex="-1">
    <legend>Bandeau défilant de l’écran</legend>
    ${ticker.map(
      (n, i) =>
        html`<fieldset id=${fieldId(`/ticker/${i}`)} tabindex="-1">
          <legend>Texte ${i + 1}</legend>
          ${textField(ctx, `/ticker/${i}/text`, n.text, { label: 'Texte', required: true, max: 140 })}
          ${languageField(ctx, `/ticker/${i}/lang`, n.lang ?? 'fr')} ${messagesAt(ctx, `/ticker/${i}`)}
          ${listButtons(ctx, '/ticker', i, ticker.length, `le texte ${i + 1} du bandeau`)}
        </fieldset>`,
    )}
    <button
      type="button"
      class="small"
      ?disabled=${ticker.length >= 30}
      @click=${() => ctx.list('/ticker', (l) => [...l, { text: '', lang: 'fr' }])}
    >
      Ajouter un texte au bandeau
    </button>
    ${messagesAt(ctx, '/ticker')}
  </fieldset>`;
}

/** The settings of the channel. */
export function settingsForm(ctx: FormContext) {
  const site = ctx.playlist.site ?? { name: '', commune: '', department: 'Mono' };
  return html`<fieldset id=${fieldId('/site')} tabindex="-1">
      <legend>Centre</legend>
      ${textField(ctx, '/site/name', site.name, { label: 'Nom du centre', required: true, max: 80 })}
      ${textField(ctx, '/site/commune', site.commune, { label: 'Commune', required: true, max: 60 })}
      ${selectField(ctx, '/site/department', site.department, {
        label: 'Département',
        options: DEPARTMENTS.map((d) => ({ value: d, label: d })),
      })}
      ${messagesAt(ctx, '/site')} ${messagesAt(ctx, '/timezone')}
    </fieldset>
    ${hoursForm(ctx)} ${closuresForm(ctx)} ${signForm(ctx)} ${tickerForm(ctx)}`;
}
