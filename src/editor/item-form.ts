/**
 * The form of one item, by kind (announcement, explainer, video), with its
 * schedule in plain terms and its translations. Template functions over the
 * channel page's FormContext (form-fields.ts).
 */
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { LooseItem, LooseSchedule, LooseTranslation } from './draft-edit.ts';
import {
  dateTimeField,
  describedBy,
  fieldId,
  languageField,
  listButtons,
  mediaField,
  messagesAt,
  numberField,
  radioGroup,
  textField,
  timeField,
  weekdayChoices,
  type FormContext,
} from './form-fields.ts';
import { KIND_LABELS, LANGUAGES, languageLabel } from './labels.ts';

function scheduleForm(ctx: FormContext, at: string, item: LooseItem) {
  const s = `${at}/schedule`;
  const schedule: LooseSchedule = item.schedule ?? {};
  const isAnnouncement = item.kind === 'announcement';
  const days = schedule.days ?? [];
  const times = schedule.times ?? [];
  // No day ticked, or all of them: every day, which the schedule says by leaving `days` out.
  const setDays = (next: readonly string[]) =>
    ctx.set(`${s}/days`, next.length === 0 || next.length === 7 ? undefined : next);
  return html`<fieldset
    id=${fieldId(s)}
    tabindex="-1"
    aria-describedby=${ifDefined(describedBy(ctx, s, false))}
  >
    <legend>Programmation</legend>
    ${messagesAt(ctx, s)}
    ${dateTimeField(ctx, `${s}/from`, schedule.from, {
      label: 'Du',
      hint: 'Premier jour de diffusion (dès 0 h, ou dès l’heure indiquée). Vide : dès la publication.',
      timeLabel: 'à partir de',
    })}
    ${dateTimeField(ctx, `${s}/until`, schedule.until, {
      label: 'Jusqu’au',
      required: isAnnouncement,
      hint: isAnnouncement
        ? 'Obligatoire pour une annonce : dernier jour de diffusion, inclus ; avec une heure, elle s’arrête à cette heure.'
        : 'Dernier jour de diffusion, inclus ; avec une heure, la diffusion s’arrête à cette heure.',
      timeLabel: 'jusqu’à',
    })}
    <fieldset
      id=${fieldId(`${s}/days`)}
      tabindex="-1"
      aria-describedby=${ifDefined(describedBy(ctx, `${s}/days`, true))}
    >
      <legend>Jours de la semaine</legend>
      <span class="hint" id=${`h${s}/days`}>Aucun jour coché : tous les jours.</span>
      ${weekdayChoices(days, setDays)} ${messagesAt(ctx, `${s}/days`)}
    </fieldset>
    <fieldset
      id=${fieldId(`${s}/times`)}
      tabindex="-1"
      aria-describedby=${ifDefined(describedBy(ctx, `${s}/times`, true))}
    >
      <legend>Plages horaires</legend>
      <span class="hint" id=${`h${s}/times`}
        >Aucune plage : toute la journée. Une plage qui finit avant de commencer passe minuit.</span
      >
      ${times.map(
        (w, k) =>
          html`<div class="row" id=${fieldId(`${s}/times/${k}`)} tabindex="-1">
            ${timeField(ctx, `${s}/times/${k}/start`, w.start, `De (plage ${k + 1})`)}
            ${timeField(ctx, `${s}/times/${k}/end`, w.end, `À (plage ${k + 1})`)}
            ${messagesAt(ctx, `${s}/times/${k}`)}
            ${listButtons(ctx, `${s}/times`, k, times.length, `la plage ${k + 1}`)}
          </div>`,
      )}
      <button
        type="button"
        class="small"
        ?disabled=${times.length >= 8}
        @click=${() => ctx.list(`${s}/times`, (l) => [...l, { start: '08:00', end: '12:00' }])}
      >
        Ajouter une plage horaire
      </button>
      ${messagesAt(ctx, `${s}/times`)}
    </fieldset>
    ${radioGroup(ctx, `${s}/when`, schedule.when ?? 'always', {
      legend: 'Quand',
      options: [
        { value: 'always', label: 'Toujours' },
        { value: 'open', label: 'Pendant l’ouverture' },
        { value: 'closed', label: 'Pendant la fermeture' },
      ],
      store: (v) => (v === 'always' ? undefined : v),
    })}
    ${numberField(ctx, `${s}/every`, schedule.every, {
      label: 'Montrer au moins tous les … minutes',
      hint: 'Vide : à son tour, dans la boucle.',
      min: 1,
      max: 1440,
    })}
  </fieldset>`;
}

function translationFields(ctx: FormContext, item: LooseItem, tr: string, t: LooseTranslation) {
  const lang = t.lang;
  switch (item.kind) {
    case 'announcement':
      return html`${textField(ctx, `${tr}/title`, t.title, { label: 'Titre', required: true, max: 120, lang })}
      ${textField(ctx, `${tr}/body`, t.body, { label: 'Texte', required: true, max: 600, multiline: true, lang })}`;
    case 'explainer': {
      const steps = t.steps ?? [];
      return html`${textField(ctx, `${tr}/title`, t.title, { label: 'Titre', required: true, max: 120, lang })}
        <fieldset id=${fieldId(`${tr}/steps`)} tabindex="-1">
          <legend>Étapes traduites</legend>
          ${steps.map((st, k) =>
            textField(ctx, `${tr}/steps/${k}/text`, st.text, {
              label: `Étape ${k + 1}`,
              required: true,
              max: 200,
              multiline: true,
              lang,
            }),
          )}
          ${messagesAt(ctx, `${tr}/steps`)}
        </fieldset>
        ${textField(ctx, `${tr}/cost`, t.cost, { label: 'Coût', max: 60, lang })}
        ${textField(ctx, `${tr}/processingTime`, t.processingTime, { label: 'Délai', max: 60, lang })}`;
    }
    case 'video':
      return textField(ctx, `${tr}/title`, t.title, { label: 'Titre', required: true, max: 120, lang });
    default:
      return nothing;
  }
}

/** A new translation has the fields of its kind, with as many steps as the item. */
function newTranslation(item: LooseItem, lang: string): LooseTranslation {
  switch (item.kind) {
    case 'announcement':
      return { lang, title: '', body: '' };
    case 'explainer':
      return { lang, title: '', steps: (item.steps ?? []).map(() => ({ text: '' })) };
    default:
      return { lang, title: '' };
  }
}

function translationsForm(ctx: FormContext, at: string, item: LooseItem) {
  const list = item.translations ?? [];
  const used = new Set([item.lang, ...list.map((t) => t.lang)]);
  const nextLang = LANGUAGES.find((l) => !used.has(l.tag))?.tag ?? 'fon';
  return html`<fieldset id=${fieldId(`${at}/translations`)} tabindex="-1">
    <legend>Traductions</legend>
    <p class="hint">
      Le texte en ${languageLabel(item.lang)} passe d’abord, puis chaque traduction. Faites relire toute
      traduction par une personne dont c’est la langue.
    </p>
    ${list.map((t, i) => {
      const tr = `${at}/translations/${i}`;
      return html`<fieldset id=${fieldId(tr)} tabindex="-1">
        <legend>Traduction ${i + 1} : ${languageLabel(t.lang)}</legend>
        ${languageField(ctx, `${tr}/lang`, t.lang)} ${translationFields(ctx, item, tr, t)}
        ${messagesAt(ctx, tr)}
        ${listButtons(ctx, `${at}/translations`, i, list.length, `la traduction ${i + 1}`)}
      </fieldset>`;
    })}
    <button
      type="button"
      class="small"
      @click=${() => ctx.list(`${at}/translations`, (l) => [...l, newTranslation(item, nextLang)])}
    >
      Ajouter une traduction
    </button>
    ${messagesAt(ctx, `${at}/translations`)}
  </fieldset>`;
}

function announcementFields(ctx: FormContext, at: string, item: LooseItem) {
  return html`${textField(ctx, `${at}/title`, item.title, { label: 'Titre', required: true, max: 120 })}
  ${textField(ctx, `${at}/body`, item.body, {
    label: 'Texte',
    required: true,
    max: 600,
    multiline: true,
    hint: 'Phrases courtes : l’écran se lit de loin. 600 caractères au plus.',
  })}
  ${mediaField(ctx, `${at}/image`, item.image, {
    label: 'Image',
    accept: 'image',
    hint: 'Affichée à côté du texte (SVG, WebP, PNG ou JPEG).',
    removeLabel: 'Retirer l’image',
  })}
  ${textField(ctx, `${at}/link`, item.link, {
    label: 'Lien pour le code QR',
    type: 'url',
    max: 300,
    hint: 'Adresse commençant par https:// ; l’écran l’affiche en code QR à scanner.',
  })}
  ${textField(ctx, `${at}/badge`, item.badge, { label: 'Étiquette', max: 24, hint: 'Par exemple « Nouveau ».' })}`;
}

function explainerFields(ctx: FormContext, at: string, item: LooseItem) {
  const steps = item.steps ?? [];
  const documents = item.documents ?? [];
  return html`${textField(ctx, `${at}/title`, item.title, { label: 'Titre', required: true, max: 120 })}
    <fieldset id=${fieldId(`${at}/steps`)} tabindex="-1">
      <legend>Étapes</legend>
      ${steps.map(
        (st, k) =>
          html`<fieldset id=${fieldId(`${at}/steps/${k}`)} tabindex="-1">
            <legend>Étape ${k + 1}</legend>
            ${textField(ctx, `${at}/steps/${k}/text`, st.text, {
              label: `Texte de l’étape ${k + 1}`,
              required: true,
              max: 200,
              multiline: true,
            })}
            ${mediaField(ctx, `${at}/steps/${k}/image`, st.image, {
              label: `Image de l’étape ${k + 1}`,
              accept: 'image',
              removeLabel: `Retirer l’image de l’étape ${k + 1}`,
            })}
            ${messagesAt(ctx, `${at}/steps/${k}`)}
            ${listButtons(ctx, `${at}/steps`, k, steps.length, `l’étape ${k + 1}`, { minLength: 1 })}
          </fieldset>`,
      )}
      <button
        type="button"
        class="small"
        ?disabled=${steps.length >= 12}
        @click=${() => ctx.list(`${at}/steps`, (l) => [...l, { text: '' }])}
      >
        Ajouter une étape
      </button>
      ${messagesAt(ctx, `${at}/steps`)}
    </fieldset>
    <div class="field">
      <label for=${fieldId(`${at}/documents`)}
        >Documents à apporter <span class="muted">(facultatif)</span></label
      >
      <span class="hint" id=${`h${at}/documents`}>Un document par ligne, 12 au plus.</span>
      <textarea
        id=${fieldId(`${at}/documents`)}
        .value=${live(documents.join('\n'))}
        aria-describedby=${ifDefined(describedBy(ctx, `${at}/documents`, true))}
        @input=${(e: Event) => {
          const lines = (e.target as HTMLTextAreaElement).value.split('\n');
          // Keep a trailing empty line while typing; drop blank lines when stored.
          const kept = lines.filter((l, i) => l.trim() !== '' || i === lines.length - 1);
          const list = kept.filter((l) => l.trim() !== '');
          ctx.set(`${at}/documents`, list.length ? list : undefined);
        }}
      ></textarea>
      ${messagesAt(ctx, `${at}/documents`)}
    </div>
    ${textField(ctx, `${at}/cost`, item.cost, { label: 'Coût', max: 60, hint: 'Par exemple « 1 900 FCFA ».' })}
    ${textField(ctx, `${at}/processingTime`, item.processingTime, {
      label: 'Délai',
      max: 60,
      hint: 'Par exemple « 72 heures ».',
    })}`;
}

function videoFields(ctx: FormContext, at: string, item: LooseItem) {
  const captions = item.captions ?? [];
  return html`${textField(ctx, `${at}/title`, item.title, { label: 'Titre', required: true, max: 120 })}
    ${mediaField(ctx, `${at}/file`, item.file, {
      label: 'Fichier vidéo',
      accept: 'video',
      required: true,
      hint: 'MP4 ou WebM.',
      removeLabel: 'Retirer la vidéo',
    })}
    ${mediaField(ctx, `${at}/poster`, item.poster, {
      label: 'Image d’attente',
      accept: 'image',
      hint: 'Montrée pendant le chargement de la vidéo.',
      removeLabel: 'Retirer l’image d’attente',
    })}
    <fieldset id=${fieldId(`${at}/captions`)} tabindex="-1">
      <legend>Sous-titres</legend>
      <p class="hint">Au moins un fichier WebVTT : les écrans sont souvent sans le son.</p>
      ${captions.map(
        (c, k) =>
          html`<fieldset id=${fieldId(`${at}/captions/${k}`)} tabindex="-1">
            <legend>Sous-titres ${k + 1} : ${languageLabel(c.lang)}</legend>
            ${languageField(ctx, `${at}/captions/${k}/lang`, c.lang)}
            ${textField(ctx, `${at}/captions/${k}/label`, c.label, { label: 'Nom affiché', max: 40 })}
            ${mediaField(ctx, `${at}/captions/${k}/file`, c.file, {
              label: 'Fichier de sous-titres',
              accept: 'captions',
              required: true,
              removeLabel: 'Retirer le fichier',
            })}
            ${messagesAt(ctx, `${at}/captions/${k}`)}
            ${listButtons(ctx, `${at}/captions`, k, captions.length, `les sous-titres ${k + 1}`, { minLength: 1 })}
          </fieldset>`,
      )}
      <button
        type="button"
        class="small"
        @click=${() => ctx.list(`${at}/captions`, (l) => [...l, { lang: 'fon', label: 'Fɔngbè' }])}
      >
        Ajouter des sous-titres
      </button>
      ${messagesAt(ctx, `${at}/captions`)}
    </fieldset>
    ${numberField(ctx, `${at}/duration`, item.duration, {
      label: 'Durée en secondes',
      hint: 'Vide : lue dans le fichier à la publication.',
      min: 1,
      max: 3600,
    })}`;
}

/** The whole form of the item at `index`. */
export function itemForm(ctx: FormContext, index: number) {
  const at = `/items/${index}`;
  const item = ctx.playlist.items[index] as LooseItem | undefined;
  if (!item) return nothing;
  const kind = item.kind ?? 'announcement';
  const c = ctx;
  return html`<section class="item-form" aria-labelledby="item-form-title">
    <h2 id="item-form-title" tabindex="-1">
      ${KIND_LABELS[kind]} n° ${index + 1}${item.title?.trim() ? html` : « ${item.title} »` : nothing}
    </h2>
    <fieldset id=${fieldId(at)} tabindex="-1" aria-describedby=${ifDefined(describedBy(c, at, false))}>
      <legend>Contenu</legend>
      ${messagesAt(c, at)} ${kind === 'announcement' ? announcementFields(c, at, item) : nothing}
      ${kind === 'explainer' ? explainerFields(c, at, item) : nothing}
      ${kind === 'video' ? videoFields(c, at, item) : nothing}
      ${
        kind !== 'video'
          ? numberField(c, `${at}/duration`, item.duration, {
              label: 'Durée à l’écran, en secondes',
              required: true,
              min: 1,
              max: 3600,
            })
          : nothing
      }
      ${languageField(c, `${at}/lang`, item.lang, 'Langue du texte principal')}
    </fieldset>
    ${radioGroup(c, `${at}/priority`, item.priority ?? 'normal', {
      legend: 'Priorité',
      hint: 'Une annonce urgente interrompt l’écran et passe seule tant qu’elle est en vigueur.',
      options: [
        { value: 'normal', label: 'Normale' },
        { value: 'urgent', label: 'Urgente' },
      ],
      store: (v) => (v === 'normal' ? undefined : v),
    })}
    ${radioGroup(c, `${at}/essential`, item.essential === true ? 'yes' : 'no', {
      legend: 'Essentiel quand l’énergie manque',
      hint: 'Quand les batteries solaires sont presque vides, l’écran ne montre que les annonces urgentes et les éléments essentiels (les horaires d’ouverture, par exemple).',
      options: [
        { value: 'no', label: 'Non' },
        { value: 'yes', label: 'Oui, toujours montrer' },
      ],
      store: (v) => (v === 'yes' ? true : undefined),
    })}
    ${scheduleForm(c, at, item)} ${translationsForm(c, at, item)}
    <details ?open=${(ctx.problems.get(`${at}/id`)?.length ?? 0) > 0}>
      <summary>Identifiant technique</summary>
      ${textField(c, `${at}/id`, item.id, {
        label: 'Identifiant',
        required: true,
        max: 64,
        hint: 'Minuscules, chiffres et tirets ; les rapports des écrans le citent.',
      })}
    </details>
  </section>`;
}
