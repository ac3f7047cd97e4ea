import { describe, expect, it } from 'vitest';
import {
  formatProblem,
  validateManifest,
  validateSourcePlaylist,
  VALIDATION_MESSAGES,
} from '../../src/core/index.ts';
import { sampleManifest } from '../fixtures.ts';
import { readFileSync } from 'node:fs';

const messages = (input: unknown, locale: 'en' | 'fr' = 'en') => {
  const result = validateManifest(input);
  return result.ok ? [] : result.problems.map((p) => formatProblem(p, locale));
};

describe('validateManifest', () => {
  it('accepts the sample and fills the defaults', () => {
    const { timezone: _tz, ...rest } = sampleManifest();
    const result = validateManifest(rest);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.timezone).toBe('Africa/Porto-Novo');
    expect(result.value.items[0]!.priority).toBe('normal');
    expect(result.value.ticker).toEqual([]);
  });

  it('says where and what, in words a person understands', () => {
    const m = sampleManifest();
    const items = [...m.items, ...m.items.map((i) => ({ ...i, id: `${i.id}-2` }))];
    (items[3] as { duration: number }).duration = 0;
    expect(messages({ ...m, items })).toEqual(['/items/3/duration: must be a positive number of seconds']);
  });

  it('reports every problem at once', () => {
    const m = sampleManifest({ channel: 'CCSP Lokossa', timezone: 'Africa/Lokossa' }) as Record<
      string,
      unknown
    >;
    m.unexpected = true;
    delete m.sign;
    expect(messages(m).sort()).toEqual([
      '/channel: must be lowercase letters, digits and dashes (e.g. "casier-judiciaire")',
      '/sign: is required',
      '/timezone: must be an IANA time zone such as Africa/Porto-Novo',
      '/unexpected: is not a known field (check its spelling)',
    ]);
  });

  it('gives the same problems in French for the editor', () => {
    const m = sampleManifest();
    (m.items[0] as { duration: number }).duration = -1;
    expect(messages(m, 'fr')).toEqual(['/items/0/duration: doit être un nombre de secondes positif']);
  });

  it('refuses duplicate item ids at the second one', () => {
    const m = sampleManifest();
    const items = [m.items[0]!, { ...m.items[0]! }];
    expect(messages({ ...m, items })).toEqual([
      '/items/1/id: is used by another item; each item needs its own id',
    ]);
  });

  it.each([
    ['an unknown kind', { kind: 'poster' }, '/items/0/kind: must be "announcement", "explainer" or "video"'],
    [
      'a video without captions',
      { captions: [] },
      '/items/1/captions: must have at least one WebVTT caption file (screens are often silent)',
    ],
    ['a video without a source', { file: undefined }, '/items/1: needs a video file or an HLS rendition'],
    [
      'a bad language tag',
      { lang: 'French' },
      '/items/0/lang: must be a language code such as fr, fon, yo, bba or ddn',
    ],
    ['an http link', { link: 'http://service-public.bj' }, '/items/0/link: must start with https://'],
    ['a title too long', { title: 'x'.repeat(121) }, '/items/0/title: must be at most 120 characters'],
    ['a blank body', { body: '   ' }, '/items/0/body: must not be empty'],
    [
      'an image of the wrong type',
      { image: { sha256: 'a'.repeat(64), bytes: 3, type: 'video/mp4' } },
      '/items/0/image/type: is not a media type allowed here',
    ],
  ])('explains %s', (_name, patch, expected) => {
    const m = sampleManifest();
    const target =
      (patch as { captions?: unknown; file?: unknown }).captions !== undefined || 'file' in patch ? 1 : 0;
    const items = m.items.map((item, i) => (i === target ? { ...item, ...patch } : item));
    expect(messages({ ...m, items })).toContain(expected);
  });

  it('checks the order of dates and times', () => {
    const m = sampleManifest({
      expires: '2026-10-01T00:00:00Z',
      hours: [{ days: ['mon'], open: '17:00', close: '08:00' }],
      closures: [{ from: '2026-12-25', to: '2026-12-24', reason: 'Noël' }],
    });
    expect(messages(m).sort()).toEqual([
      '/closures/0/to: must be on or after the first day of the closure',
      '/expires: must be later than "issued"',
      '/hours/0/close: must be later than the opening time',
    ]);
  });

  it('refuses a future format with a message that says what to do', () => {
    expect(messages(sampleManifest({ format: 2 as 1 }))).toEqual([
      '/format: must be 1; this player reads manifest format 1 only (update the player)',
    ]);
  });

  it('has a French and an English text for every code', () => {
    for (const [code, text] of Object.entries(VALIDATION_MESSAGES)) {
      expect(text.en.length, code).toBeGreaterThan(3);
      expect(text.fr.length, code).toBeGreaterThan(3);
    }
  });
});

describe('validateSourcePlaylist', () => {
  it('accepts every playlist shipped in playlists/', () => {
    const text = readFileSync(new URL('../../playlists/ccsp-lokossa.json', import.meta.url), 'utf8');
    const result = validateSourcePlaylist(JSON.parse(text));
    expect(result.ok ? [] : result.problems.map((p) => formatProblem(p))).toEqual([]);
  });

  it('refuses the fields only signing may set', () => {
    const text = readFileSync(new URL('../../playlists/ccsp-lokossa.json', import.meta.url), 'utf8');
    const result = validateSourcePlaylist({ ...JSON.parse(text), version: 4 });
    expect(result.ok ? [] : result.problems.map((p) => formatProblem(p))).toEqual([
      '/version: is not a known field (check its spelling)',
    ]);
  });
});
