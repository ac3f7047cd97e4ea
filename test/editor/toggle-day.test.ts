import { expect, it } from 'vitest';
import { toggleDay } from '../../src/editor/toggle-day.ts';

it('ticks a day in the week’s order, whatever order the ticks came in', () => {
  expect(toggleDay(['fri', 'mon'], 'wed', true)).toEqual(['mon', 'wed', 'fri']);
  expect(toggleDay([], 'sun', true)).toEqual(['sun']);
  expect(toggleDay(['mon'], 'mon', true)).toEqual(['mon']);
});

it('unticks a day and leaves what is not a weekday out', () => {
  expect(toggleDay(['mon', 'tue', 'x'], 'mon', false)).toEqual(['tue']);
  expect(toggleDay(['sat'], 'sat', false)).toEqual([]);
});
