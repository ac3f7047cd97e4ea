/**
 * What the illuminated sign shows, derived once for the firmware's status
 * endpoint and for the LED page (docs/sign-protocol.md). Pure: the manifest, the
 * trusted time and the power state in, the fields of the status out.
 */
import type { Manifest } from '../manifest-schema.ts';
import {
  ChangeWalker,
  compile,
  eligibleAt,
  nextChange,
  type SchedulableChannel,
  type ScheduleRules,
} from '../schedule/engine.ts';
import { fitText, transliterate } from './transliterate.ts';

export type PowerState = 'ok' | 'eco' | 'crit';
export type SignMode = 'open' | 'closed' | 'info' | 'off';
export type SignEffect = 'static' | 'scroll' | 'blink';

/** Every field of the status but `seq`, which the server keeps (sign-endpoint.ts puts them in protocol order). */
export interface SignContent {
  v: 1;
  t: number;
  tz: number;
  poll: number;
  valid: number;
  on: boolean;
  mode: SignMode;
  bri: number;
  col: string;
  fx: SignEffect;
  spd: number;
  wk: [number, number][];
  fbo: string;
  fbc: string;
  pwr: PowerState;
  txt: string;
  txt_u: string;
}

export const SIGN_TEXT_MAX = 64;
/** A text longer than this scrolls on a 64-column panel with a 6-pixel font. */
const STATIC_MAX = 10;
const COLOURS: Record<SignMode, string> = { open: '00C853', closed: 'D50000', info: 'FFAB00', off: '000000' };
const WEEKDAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** "8 h", "8 h 30" (French usage). */
export function frenchHour(minute: number): string {
  const h = Math.floor(minute / 60);
  const m = Math.round(minute % 60);
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
}

/** When the centre next opens, in French relative to now: "15 h", "demain 8 h", "lundi 8 h", "le 5 janvier à 8 h". */
export function reopeningText(manifest: Manifest, now: number): string | undefined {
  const walker = new ChangeWalker(manifest, now);
  if (walker.current.open) return undefined;
  for (let change = walker.next(); change; change = walker.next()) {
    if (!change.state.open) continue;
    const { clock } = compile(manifest);
    const today = clock.parts(now);
    const then = clock.parts(change.at);
    const hour = frenchHour(then.minute);
    const days = then.day - today.day;
    if (days === 0) return hour;
    if (days === 1) return `demain ${hour}`;
    if (days < 7) return `${WEEKDAY_NAMES[then.weekday]} ${hour}`;
    const date = new Date(then.day * 86_400_000);
    return `le ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} à ${hour}`;
  }
  return undefined;
}

/** The `{reouverture}` placeholder of the closed text, filled in (or dropped when unknown). */
function closedText(manifest: Manifest, now: number): string {
  const text = manifest.sign.closed;
  if (!/\{r[ée]ouverture\}/.test(text)) return text;
  const when = reopeningText(manifest, now);
  return when
    ? text.replace(/\{r[ée]ouverture\}/, when)
    : text.replace(/\s*[—–-]?\s*[^—–-]*\{r[ée]ouverture\}.*$/, '');
}

/** Opening hours Monday first: the first opening and last closing of each day, in minutes; [0, 0] closed. */
export function weekHours(manifest: Manifest): [number, number][] {
  const { hours } = compile(manifest);
  return hours.map((windows): [number, number] =>
    windows.length === 0
      ? [0, 0]
      : [Math.min(...windows.map((w) => w[0])), Math.max(...windows.map((w) => w[1]))],
  );
}

/** The sign's notices as schedulable items, compiled once per manifest. */
const noticeChannels = new WeakMap<
  Manifest,
  SchedulableChannel<{ id: string; index: number; schedule?: ScheduleRules }>
>();
function noticeChannel(manifest: Manifest) {
  let channel = noticeChannels.get(manifest);
  if (!channel) {
    channel = {
      ...manifest,
      items: manifest.sign.notices.map((n, index) => ({
        id: `notice-${index}`,
        index,
        schedule: n.schedule,
      })),
    };
    noticeChannels.set(manifest, channel);
  }
  return channel;
}

export function signStatus(manifest: Manifest, trustedNow: number, power: PowerState): SignContent {
  const e = eligibleAt(manifest, trustedNow);
  const { clock } = compile(manifest);
  let change = nextChange(manifest, trustedNow)?.getTime();
  // "réouverture demain 8 h" becomes "8 h" at midnight: the text changes then too.
  if (!eligibleAt(manifest, trustedNow).open && /\{r[ée]ouverture\}/.test(manifest.sign.closed)) {
    const midnight = clock.instant(clock.parts(trustedNow).day + 1, 0);
    change = Math.min(change ?? Infinity, midnight);
  }
  const untilChange = change === undefined ? 86_400 : Math.max(1, Math.ceil((change - trustedNow) / 1000));
  const urgent = e.eligible.find((i) => i.priority === 'urgent');
  // Notices on the sign follow the same schedule rules as items.
  const noticeIndex = eligibleAt(noticeChannel(manifest), trustedNow).eligible[0]?.index;
  const notice = noticeIndex === undefined ? undefined : manifest.sign.notices[noticeIndex];

  let mode: SignMode;
  let text: string;
  if (urgent) [mode, text] = ['info', 'title' in urgent ? urgent.title : manifest.sign.open];
  else if (e.open) {
    // Open stays open (green); a notice joins the open text when both fit, else replaces it.
    const both = notice ? `${manifest.sign.open} · ${notice.text}` : manifest.sign.open;
    [mode, text] = ['open', [...both].length <= SIGN_TEXT_MAX ? both : notice!.text];
  } else [mode, text] = ['closed', closedText(manifest, trustedNow)];
  if (power === 'crit' && mode === 'closed') mode = 'off';

  const txtU = fitText(text, SIGN_TEXT_MAX, '…');
  const txt = fitText(transliterate(text), SIGN_TEXT_MAX);
  const fullBrightness = mode === 'closed' ? 96 : 255;
  const bri =
    mode === 'off' ? 0 : Math.round(fullBrightness * (power === 'ok' ? 1 : power === 'eco' ? 0.5 : 0.25));
  // An urgent notice blinks when it fits the panel; a longer one must scroll to be read.
  const fx: SignEffect = txt.length > STATIC_MAX ? 'scroll' : urgent ? 'blink' : 'static';
  // On battery saving, the sign polls less often (every poll wakes its radio).
  const pollFactor = power === 'ok' ? 1 : power === 'eco' ? 2 : 4;
  return {
    v: 1,
    t: Math.floor(trustedNow / 1000),
    tz: Math.round(clock.offset(trustedNow) / 1000),
    // Poll again soon after the next change, but at least every 5 minutes (20 on critical
    // power) and at most every 10 s.
    poll: Math.min(300 * pollFactor, Math.max(10, untilChange)),
    valid: Math.min(86_400, untilChange),
    on: mode !== 'off',
    mode,
    bri,
    col: COLOURS[mode],
    fx,
    spd: fx === 'scroll' ? 30 : 0,
    wk: weekHours(manifest),
    fbo: 'OUVERT',
    fbc: 'FERME',
    pwr: power,
    txt,
    txt_u: txtU,
  };
}
