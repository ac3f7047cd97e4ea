/**
 * A day of a channel as staff read it: periods in which the same items take
 * turns, from core's timeline() (what will play, entry by entry) cut where the
 * schedule changes (nextChange), with whether the centre is open and whether an
 * urgent notice interrupts. Pure: the preview renders it as a table and a bar.
 */
import { compile, dayNumber, eligibleAt, nextChange, timeline } from '../core/schedule/index.ts';
import type { Item, Manifest } from '../core/manifest-schema.ts';

export interface ProgrammeLine {
  item: Item;
  /** Times it starts in the period. */
  plays: number;
  /** Time on screen in the period, ms. */
  ms: number;
}

export interface ProgrammePeriod {
  start: number;
  end: number;
  open: boolean;
  /** An urgent item plays: it interrupts the rest. */
  urgent: boolean;
  /** What takes turns on the screen, in order of first appearance; empty: the welcome card. */
  lines: ProgrammeLine[];
}

const KIND_NAMES: Record<Item['kind'], string> = {
  announcement: 'Annonce',
  explainer: 'Démarche pas à pas',
  video: 'Vidéo',
};

export function kindName(item: Item): string {
  return KIND_NAMES[item.kind] ?? item.kind;
}

/** The item's title in French: its own, or its French translation, or its id. */
export function frenchTitle(item: Item): string {
  if (item.lang === 'fr') return item.title;
  const fr = item.translations?.find((t) => t.lang === 'fr');
  return fr?.title ?? item.title ?? item.id;
}

/** Why the centre is closed all that day (`YYYY-MM-DD`): a closure's reason or a public holiday's name. */
export function closureOf(manifest: Manifest, date: string): string | undefined {
  return compile(manifest).closedDays.get(dayNumber(date));
}

/** At most this many schedule changes in a day are followed (a day has a few dozen). */
const MAX_CHANGES = 2000;

export function dayProgramme(manifest: Manifest, from: number, to: number): ProgrammePeriod[] {
  const cuts = [from];
  for (let at = from, i = 0; i < MAX_CHANGES; i++) {
    const next = nextChange(manifest, at)?.getTime();
    if (next === undefined || next >= to || next <= at) break;
    cuts.push(next);
    at = next;
  }
  cuts.push(to);
  const entries = timeline(manifest, from, to);
  const periods: ProgrammePeriod[] = [];
  let e = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i]!;
    const end = cuts[i + 1]!;
    const lines = new Map<string, ProgrammeLine>();
    for (; e < entries.length && entries[e]!.start < end; e++) {
      const { item, start: s, end: t } = entries[e]!;
      if (!item) continue;
      const line = lines.get(item.id) ?? { item, plays: 0, ms: 0 };
      line.plays++;
      line.ms += t - s;
      lines.set(item.id, line);
    }
    const list = [...lines.values()];
    const period: ProgrammePeriod = {
      start,
      end,
      open: eligibleAt(manifest, start).open,
      urgent: list.some((l) => l.item.priority === 'urgent'),
      lines: list,
    };
    const last = periods[periods.length - 1];
    if (last && sameShape(last, period)) {
      last.end = end;
      for (const line of period.lines) {
        const kept = last.lines.find((l) => l.item.id === line.item.id)!;
        kept.plays += line.plays;
        kept.ms += line.ms;
      }
    } else {
      periods.push(period);
    }
  }
  return periods;
}

/** Two neighbouring periods read the same: one row. */
function sameShape(a: ProgrammePeriod, b: ProgrammePeriod): boolean {
  return (
    a.open === b.open &&
    a.urgent === b.urgent &&
    a.lines.length === b.lines.length &&
    b.lines.every((l) => a.lines.some((k) => k.item.id === l.item.id))
  );
}
