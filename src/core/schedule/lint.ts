/**
 * Schedules that are legal but probably not what the author meant: printed as
 * warnings by `ccsp-signage validate`, shown beside the field in the editor.
 */
import { canEverPlay, compile, type SchedulableChannel } from './engine.ts';
import { LAST_HOLIDAY_YEAR } from './holidays-bj.ts';
import { DAY } from './local-time.ts';

export type WarningCode = 'never-plays' | 'already-ended' | 'urgent-overlap' | 'holidays-unknown';

export interface ScheduleWarning {
  pointer: string;
  code: WarningCode;
  en: string;
  fr: string;
}

/** How far ahead an item with no end is checked for a moment it can play. */
const LOOKAHEAD = 28 * DAY;

export function lintSchedule(channel: SchedulableChannel, now: number): ScheduleWarning[] {
  const c = compile(channel);
  const out: ScheduleWarning[] = [];
  c.items.forEach((it, i) => {
    const pointer = `/items/${i}/schedule`;
    if (it.untilMs <= now) {
      out.push({
        pointer: `${pointer}/until`,
        code: 'already-ended',
        en: 'has already ended: the item will never play',
        fr: 'est déjà passée : cet élément ne passera jamais',
      });
      return;
    }
    const from = Math.max(now, it.fromMs);
    const to = Math.min(it.untilMs, from + LOOKAHEAD);
    if (!canEverPlay(channel, i, from, to)) {
      out.push({
        pointer,
        code: 'never-plays',
        en: 'leaves no moment to play (check its days, times and opening-hours limit)',
        fr: 'ne laisse aucun moment de diffusion (vérifiez les jours, les heures et la limite aux heures d’ouverture)',
      });
    }
  });
  const urgent = c.items.filter((it) => it.urgent && it.untilMs > now);
  for (let a = 0; a < urgent.length; a++) {
    for (let b = a + 1; b < urgent.length; b++) {
      const [x, y] = [urgent[a]!, urgent[b]!];
      if (x.fromMs < y.untilMs && y.fromMs < x.untilMs) {
        out.push({
          pointer: `/items/${y.index}/priority`,
          code: 'urgent-overlap',
          en: `overlaps the urgent item "${x.item.id}": the two will take turns`,
          fr: `chevauche l’annonce urgente « ${x.item.id} » : les deux passeront à tour de rôle`,
        });
      }
    }
  }
  if (channel.publicHolidays && new Date(now).getUTCFullYear() + 1 > LAST_HOLIDAY_YEAR) {
    out.push({
      pointer: '/publicHolidays',
      code: 'holidays-unknown',
      en: `this version knows Benin's public holidays up to ${LAST_HOLIDAY_YEAR}; update ccsp-signage`,
      fr: `cette version connaît les jours fériés du Bénin jusqu’en ${LAST_HOLIDAY_YEAR} ; mettez ccsp-signage à jour`,
    });
  }
  return out;
}
