import { WEEKDAYS } from '../core/index.ts';

/** A day as the schema writes it (`mon` … `sun`). */
export type Weekday = (typeof WEEKDAYS)[number];

/** `days` with `day` ticked (`on`) or not, in the week's order whatever order the ticks came in. */
export function toggleDay(days: readonly string[], day: Weekday, on: boolean): Weekday[] {
  return WEEKDAYS.filter((d) => (d === day ? on : days.includes(d)));
}
