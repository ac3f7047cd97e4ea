/**
 * What the closed card says (issue 7): when the centre reopens, in French and in
 * the channel's time zone, relative to now as people say it at the door.
 */
import { frenchDateParts } from './clock-format.ts';
import { compile, type SchedulableChannel } from './schedule/engine.ts';
import { nextOpening } from './schedule/display.ts';
import { LocalClock } from './schedule/local-time.ts';

/**
 * `aujourd’hui à 15 h 00`, `demain à 8 h 00`, `lundi à 8 h 00` within a week, else
 * `le lundi 5 janvier à 8 h 00`.
 */
export function formatReopening(at: number, now: number, timeZone: string): string {
  const clock = new LocalClock(timeZone);
  const days = clock.parts(at).day - clock.parts(now).day;
  const { weekday, day, month, time } = frenchDateParts(at, timeZone);
  if (days <= 0) return `aujourd’hui à ${time}`;
  if (days === 1) return `demain à ${time}`;
  if (days < 7) return `${weekday} à ${time}`;
  return `le ${weekday} ${day} ${month} à ${time}`;
}

/** `Réouverture lundi à 8 h 00`, or undefined when the centre has no opening ahead. */
export function reopeningLine(channel: SchedulableChannel, now: number): string | undefined {
  const at = nextOpening(channel, now);
  return at === null ? undefined : `Réouverture ${formatReopening(at, now, channel.timezone)}`;
}

/** Why the centre is closed all day today (a closure's reason, a holiday's name), if it is. */
export function closureReason(channel: SchedulableChannel, now: number): string | undefined {
  const c = compile(channel);
  return c.closedDays.get(c.clock.parts(now).day);
}
