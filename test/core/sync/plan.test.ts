import { describe, expect, it } from 'vitest';
import { mediaPlan, validateManifest, type Manifest, type ManifestInput } from '../../../src/core/index.ts';
import { sampleManifest } from '../../fixtures.ts';

const ref = <T extends 'image/svg+xml' | 'video/mp4' | 'text/vtt'>(c: string, type: T) => ({
  sha256: c.repeat(64),
  bytes: 10,
  type,
});

function manifest(items: ManifestInput['items']): Manifest {
  const r = validateManifest({ ...sampleManifest(), items });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

describe('mediaPlan', () => {
  const base = sampleManifest().items;
  type ItemOf<K> = Extract<ManifestInput['items'][number], { kind: K }>;
  const announcement = base[0] as ItemOf<'announcement'>;
  const video = base[1] as ItemOf<'video'>;

  it('lists what plays within the horizon first, in the order it first plays, then the rest', () => {
    const m = manifest([
      {
        ...announcement,
        id: 'later',
        image: ref('1', 'image/svg+xml'),
        schedule: { from: '2026-11-20', until: '2027-06-30' },
      },
      {
        ...video,
        file: ref('2', 'video/mp4'),
        captions: [{ lang: 'fr', file: ref('3', 'text/vtt') }],
      } as ManifestInput['items'][number],
      { ...announcement, id: 'now', image: ref('4', 'image/svg+xml') },
    ]);
    const plan = mediaPlan(m, Date.parse('2026-11-15T10:00:00Z'));
    expect(plan.needed.map((f) => f.sha256[0])).toEqual(['3', '2', '4']);
    expect(plan.later.map((f) => f.sha256[0])).toEqual(['1']);
  });

  it('needs nothing when nothing plays within the horizon', () => {
    const m = manifest([
      {
        ...announcement,
        image: ref('1', 'image/svg+xml'),
        schedule: { from: '2027-01-01', until: '2027-06-30' },
      },
    ]);
    const plan = mediaPlan(m, Date.parse('2026-11-15T10:00:00Z'), 3600_000);
    expect(plan.needed).toEqual([]);
    expect(plan.later).toHaveLength(1);
  });
});
