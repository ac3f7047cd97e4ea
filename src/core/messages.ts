/**
 * Human messages for the validation codes used in manifest-schema.ts.
 * English for the CLI and logs, French for the staff in the editor (STYLE.md "Errors").
 * `{n}` is replaced by the requirement of the check (a length, a limit).
 */
export type Locale = 'en' | 'fr';

export const VALIDATION_MESSAGES = {
  'field.required': { en: 'is required', fr: 'est obligatoire' },
  'field.unknown': {
    en: 'is not a known field (check its spelling)',
    fr: "n'est pas un champ connu (vérifiez l'orthographe)",
  },
  'type.string': { en: 'must be text', fr: 'doit être un texte' },
  'type.object': { en: 'must be an object', fr: 'doit être un objet' },
  'type.array': { en: 'must be a list', fr: 'doit être une liste' },
  'type.boolean': { en: 'must be true or false', fr: 'doit valoir true (oui) ou false (non)' },
  'text.empty': { en: 'must not be empty', fr: 'ne doit pas être vide' },
  'text.max': { en: 'must be at most {n} characters', fr: 'doit faire au plus {n} caractères' },
  'list.max': { en: 'must have at most {n} entries', fr: 'doit avoir au plus {n} éléments' },
  'id.format': {
    en: 'must be lowercase letters, digits and dashes (e.g. "casier-judiciaire")',
    fr: 'doit contenir des minuscules, chiffres et tirets (ex. « casier-judiciaire »)',
  },
  'id.duplicate': {
    en: 'is used by another item; each item needs its own id',
    fr: 'est déjà utilisé par un autre élément ; chaque élément doit avoir son propre identifiant',
  },
  'lang.format': {
    en: 'must be a language code such as fr, fon, yo, bba or ddn',
    fr: 'doit être un code de langue comme fr, fon, yo, bba ou ddn',
  },
  'duration.positive': {
    en: 'must be a positive number of seconds',
    fr: 'doit être un nombre de secondes positif',
  },
  'duration.max': { en: 'must be at most {n} seconds', fr: 'doit être d’au plus {n} secondes' },
  'time.format': {
    en: 'must be a time of day as HH:MM (e.g. 08:00)',
    fr: 'doit être une heure au format HH:MM (ex. 08:00)',
  },
  'date.format': {
    en: 'must be a date as YYYY-MM-DD',
    fr: 'doit être une date au format AAAA-MM-JJ',
  },
  'timestamp.format': {
    en: 'must be a date and time with its offset (e.g. 2026-11-28T08:00:00+01:00)',
    fr: 'doit être une date et une heure avec décalage (ex. 2026-11-28T08:00:00+01:00)',
  },
  'url.format': { en: 'must be a web address', fr: 'doit être une adresse web' },
  'url.https': {
    en: 'must start with https://',
    fr: 'doit commencer par https://',
  },
  'timezone.unknown': {
    en: 'must be an IANA time zone such as Africa/Porto-Novo',
    fr: 'doit être un fuseau horaire IANA comme Africa/Porto-Novo',
  },
  'sha256.format': {
    en: 'must be 64 lowercase hexadecimal characters',
    fr: 'doit compter 64 caractères hexadécimaux minuscules',
  },
  'bytes.format': {
    en: 'must be a positive whole number of bytes',
    fr: "doit être un nombre entier d'octets positif",
  },
  'media.type': { en: 'is not a media type allowed here', fr: "n'est pas un type de média accepté ici" },
  'hls.path': {
    en: 'must be a relative path of letters, digits, dots, dashes and underscores',
    fr: 'doit être un chemin relatif (lettres, chiffres, points, tirets, soulignés)',
  },
  'hls.files': {
    en: 'must list the playlist and at least one segment',
    fr: 'doit lister la playlist et au moins un segment',
  },
  'hls.playlist': {
    en: 'must be one of the listed files',
    fr: 'doit être un des fichiers listés',
  },
  'priority.value': { en: 'must be "normal" or "urgent"', fr: 'doit être « normal » ou « urgent »' },
  'item.kind': {
    en: 'must be "announcement", "explainer" or "video"',
    fr: 'doit être « announcement », « explainer » ou « video »',
  },
  'steps.min': { en: 'must have at least one step', fr: 'doit avoir au moins une étape' },
  'captions.min': {
    en: 'must have at least one WebVTT caption file (screens are often silent)',
    fr: 'doit avoir au moins un fichier de sous-titres WebVTT (les écrans sont souvent muets)',
  },
  'video.source': {
    en: 'needs a video file or an HLS rendition',
    fr: 'doit avoir un fichier vidéo ou une version HLS',
  },
  'department.value': {
    en: 'must be one of the 12 departments of Benin (e.g. Mono)',
    fr: 'doit être un des 12 départements du Bénin (ex. Mono)',
  },
  'weekday.value': {
    en: 'must be one of mon, tue, wed, thu, fri, sat, sun',
    fr: 'doit être un de mon, tue, wed, thu, fri, sat, sun',
  },
  'days.min': { en: 'must name at least one day', fr: 'doit nommer au moins un jour' },
  'hours.order': {
    en: 'must be later than the opening time',
    fr: "doit être après l'heure d'ouverture",
  },
  'closure.order': {
    en: 'must be on or after the first day of the closure',
    fr: 'doit être le premier jour de fermeture ou après',
  },
  'format.value': {
    en: 'must be 1; this player reads manifest format 1 only (update the player)',
    fr: 'doit valoir 1 ; ce lecteur ne lit que le format 1 (mettez le lecteur à jour)',
  },
  'version.format': {
    en: 'must be a whole number from 1 to 4294967295',
    fr: 'doit être un nombre entier de 1 à 4294967295',
  },
  'expires.order': {
    en: 'must be later than "issued"',
    fr: 'doit être après la date de publication',
  },
  'keys.min': { en: 'must list at least one key', fr: 'doit lister au moins une clé' },
  'keys.unknown': {
    en: 'names a key that is not in "keys"',
    fr: 'désigne une clé absente de « keys »',
  },
  'key.type': { en: 'must be "ed25519"', fr: 'doit valoir « ed25519 »' },
  'threshold.format': {
    en: 'must be a whole number of at least 1',
    fr: 'doit être un nombre entier supérieur ou égal à 1',
  },
  'threshold.unreachable': {
    en: 'is higher than the number of keys that could sign',
    fr: 'dépasse le nombre de clés qui peuvent signer',
  },
  'localdatetime.format': {
    en: "must be a date (2026-12-01) or a date and time (2026-12-01T08:00) in the channel's time zone",
    fr: 'doit être une date (2026-12-01) ou une date et une heure (2026-12-01T08:00), heure du centre',
  },
  'window.empty': {
    en: 'must differ from the start (a window ending before it starts crosses midnight)',
    fr: 'doit différer du début (une plage qui finit avant de commencer passe minuit)',
  },
  'times.min': { en: 'must list at least one time window', fr: 'doit lister au moins une plage horaire' },
  'when.value': {
    en: 'must be "always", "open" (opening hours only) or "closed" (closed hours only)',
    fr: 'doit valoir « always », « open » (heures d’ouverture) ou « closed » (heures de fermeture)',
  },
  'every.format': {
    en: 'must be a whole number of minutes from 1 to 1440',
    fr: 'doit être un nombre entier de minutes, de 1 à 1440',
  },
  'share.format': {
    en: 'must be a fraction of the loop above 0 and at most 1 (0.25 = a quarter)',
    fr: 'doit être une part de la boucle supérieure à 0 et au plus 1 (0,25 = un quart)',
  },
  'until.order': {
    en: 'must be later than "from"',
    fr: 'doit être après la date de début',
  },
  'schedule.every-share': {
    en: 'asks for both "every" and "share"; choose one',
    fr: 'demande à la fois « every » et « share » ; choisissez l’un des deux',
  },
  'announcement.until': {
    en: 'an announcement needs an end date ("until"): stale official notices mislead',
    fr: 'une annonce doit avoir une date de fin (« until ») : une annonce périmée induit en erreur',
  },
  'holidays.calendar': { en: 'must be "bj" (Benin)', fr: 'doit valoir « bj » (Bénin)' },
  'share.total': {
    en: 'the shares of the loop add up to more than 100 %',
    fr: 'les parts de la boucle dépassent 100 % au total',
  },
  'every.too-short': {
    en: 'cannot be met: the item itself lasts longer than that',
    fr: 'impossible à tenir : l’élément dure lui-même plus longtemps',
  },
  'every.total': {
    en: 'cannot be met together with the other "every" items: they would need more than all the airtime',
    fr: 'impossible à tenir avec les autres éléments « every » : il faudrait plus que tout le temps d’antenne',
  },
  invalid: { en: 'is not valid', fr: "n'est pas valide" },
} as const satisfies Record<string, Record<Locale, string>>;

export type ValidationCode = keyof typeof VALIDATION_MESSAGES;

export function isValidationCode(code: string): code is ValidationCode {
  return Object.hasOwn(VALIDATION_MESSAGES, code);
}
