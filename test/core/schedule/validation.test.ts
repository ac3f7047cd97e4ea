import { describe, expect, it } from 'vitest';
import {
  formatProblem,
  lintSchedule,
  validateManifest,
  type ManifestInput,
} from '../../../src/core/index.ts';
import { sampleManifest } from '../../fixtures.ts';

type Items = ManifestInput['items'];
const announcement = (
  id: string,
  schedule: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  id,
  kind: 'announcement' as const,
  lang: 'fr',
  title: 'Titre',
  body: 'Texte',
  duration: 10,
  schedule,
  ...extra,
});
const problems = (items: unknown[]) => {
  const r = validateManifest(sampleManifest({ items: items as Items }));
  return r.ok ? [] : r.problems.map((p) => formatProblem(p));
};

describe('schedule validation', () => {
  it('refuses an announcement without an end date, with the reason', () => {
    expect(problems([announcement('a', { from: '2026-12-01' })])).toEqual([
      '/items/0/schedule/until: an announcement needs an end date ("until"): stale official notices mislead',
    ]);
    expect(problems([{ ...announcement('a', {}), schedule: undefined }])).toEqual([
      '/items/0/schedule: is required',
    ]);
  });

  it.each([
    [
      'an end before the start',
      { from: '2026-12-02', until: '2026-12-01' },
      '/items/0/schedule/until: must be later than "from"',
    ],
    [
      'an empty time window',
      { until: '2027-01-01', times: [{ start: '10:00', end: '10:00' }] },
      '/items/0/schedule/times/0/end: must differ from the start (a window ending before it starts crosses midnight)',
    ],
    [
      'a malformed date',
      { until: '2027-02-30' },
      "/items/0/schedule/until: must be a date (2026-12-01) or a date and time (2026-12-01T08:00) in the channel's time zone",
    ],
    [
      'both every and share',
      { until: '2027-01-01', every: 5, share: 0.2 },
      '/items/0/schedule: asks for both "every" and "share"; choose one',
    ],
    [
      'a share of nothing',
      { until: '2027-01-01', share: 0 },
      '/items/0/schedule/share: must be a fraction of the loop above 0 and at most 1 (0.25 = a quarter)',
    ],
    [
      'an unknown when',
      { until: '2027-01-01', when: 'night' },
      '/items/0/schedule/when: must be "always", "open" (opening hours only) or "closed" (closed hours only)',
    ],
  ])('refuses %s with its pointer', (_name, schedule, message) => {
    expect(problems([announcement('a', schedule)])).toEqual([message]);
  });

  it('refuses frequencies that cannot be met', () => {
    expect(
      problems([
        announcement('a', { until: '2027-01-01', share: 0.6 }),
        announcement('b', { until: '2027-01-01', share: 0.5 }),
        announcement('c', { until: '2027-01-01', every: 1 }, { duration: 90 }),
      ]),
    ).toEqual([
      '/items/0/schedule/share: the shares of the loop add up to more than 100 %',
      '/items/1/schedule/share: the shares of the loop add up to more than 100 %',
      '/items/2/schedule/every: cannot be met: the item itself lasts longer than that',
      '/items/2/schedule/every: cannot be met together with the other "every" items: they would need more than all the airtime',
    ]);
  });
});

describe('schedule warnings', () => {
  const now = Date.parse('2026-11-28T10:00:00Z');
  const lint = (items: unknown[]) => {
    const r = validateManifest(sampleManifest({ items: items as Items }));
    if (!r.ok) throw new Error(r.problems.map((p) => formatProblem(p)).join('\n'));
    return lintSchedule(r.value, now).map((w) => `${w.pointer}: ${w.code}`);
  };

  it('warns about an item that has ended, one that never plays, and overlapping urgent items', () => {
    expect(
      lint([
        announcement('ended', { until: '2026-11-01' }),
        announcement('never', { until: '2027-01-01', days: ['sun'], when: 'open' }),
        announcement('u1', { from: '2026-12-01', until: '2026-12-05' }, { priority: 'urgent' }),
        announcement('u2', { from: '2026-12-04', until: '2026-12-06' }, { priority: 'urgent' }),
        announcement('fine', { until: '2027-01-01' }),
      ]),
    ).toEqual([
      '/items/0/schedule/until: already-ended',
      '/items/1/schedule: never-plays',
      '/items/3/priority: urgent-overlap',
    ]);
  });

  it('says nothing about a sound schedule', () => {
    expect(
      lint([
        announcement('fine', {
          until: '2027-01-01',
          days: ['mon'],
          times: [{ start: '08:00', end: '10:00' }],
        }),
      ]),
    ).toEqual([]);
  });
});
