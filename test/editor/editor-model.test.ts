import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SourcePlaylistInput } from '../../src/core/index.ts';
import type { ChannelDetail } from '../../src/editor/api-types.ts';
import { isSamePerson, personName } from '../../src/editor/api-types.ts';
import {
  duplicateItem,
  getAt,
  newItem,
  parsePointer,
  setAt,
  slugify,
  tidySchedule,
  toPointer,
  uniqueId,
  updateList,
} from '../../src/editor/draft-edit.ts';
import { checkDraft, reduceDraft, type DraftModelState } from '../../src/editor/draft-model.ts';
import { formatLocalDate, hasRole, scheduleSummary } from '../../src/editor/labels.ts';
import { fieldLabel, fieldPointers, nearestField, placeProblems } from '../../src/editor/problems.ts';
import { parseRoute, routeHash } from '../../src/editor/route.ts';

// The editor's pure parts, under Node (STYLE.md: behaviour tested without a DOM).

const sample = JSON.parse(
  readFileSync(new URL('../../playlists/ccsp-lokossa.json', import.meta.url), 'utf8'),
) as SourcePlaylistInput;

describe('draft edits by JSON pointer', () => {
  it('sets, removes and creates parents without touching the input', () => {
    const before = structuredClone(sample);
    const next = setAt(sample, '/items/0/schedule/until', '2028-01-01');
    expect(getAt(next, '/items/0/schedule/until')).toBe('2028-01-01');
    expect(sample).toEqual(before);
    const removed = setAt(next, '/items/0/badge', undefined);
    expect('badge' in (removed.items[0] as object)).toBe(false);
    expect(setAt({} as Record<string, unknown>, '/a/0/b', 1)).toEqual({ a: [{ b: 1 }] });
    expect(parsePointer('/a~1b/0/c~0d')).toEqual(['a/b', 0, 'c~d']);
    expect(toPointer(['a/b', 0, 'c~d'])).toBe('/a~1b/0/c~0d');
  });

  it('changes lists, dropping an empty one when asked', () => {
    const doc = { ticker: [{ text: 'a' }] };
    expect(updateList(doc, '/ticker', (l) => l.slice(1), true)).toEqual({});
    expect(updateList(doc, '/ticker', (l) => [...l, { text: 'b' }])).toEqual({
      ticker: [{ text: 'a' }, { text: 'b' }],
    });
  });

  it('makes ids staff never have to type, unique in the channel', () => {
    expect(slugify('Carte d’électeur : où ?')).toBe('carte-d-electeur-ou');
    expect(uniqueId('annonce', [{ id: 'annonce' }, { id: 'annonce-2' }])).toBe('annonce-3');
    expect(newItem('announcement', sample.items).schedule).toEqual({});
    const dup = duplicateItem(sample, 0);
    expect(dup.items[1]!.id).toBe('bienvenue-ccsp-copie');
    expect({ ...dup.items[1], id: 'bienvenue-ccsp' }).toEqual(sample.items[0]);
  });

  it('drops an empty schedule except on announcements', () => {
    const withVideo = setAt(sample, '/items/4/schedule', {});
    expect('schedule' in (tidySchedule(withVideo, 4).items[4] as object)).toBe(false);
    const announcement = setAt(sample, '/items/0/schedule', {});
    expect(tidySchedule(announcement, 0).items[0]!.schedule).toEqual({});
  });
});

describe('problems next to their fields', () => {
  it('places each problem at its field, or the nearest group the form draws', () => {
    const fields = fieldPointers(sample);
    expect(nearestField('/items/2/schedule/until', fields)).toBe('/items/2/schedule/until');
    expect(nearestField('/items/4/captions/0/file', fields)).toBe('/items/4/captions/0/file');
    expect(nearestField('/items/4/hls', fields)).toBe('/items/4');
    expect(nearestField('/items/3/steps/7/text', fields)).toBe('/items/3/steps');
    expect(nearestField('/format', fields)).toBe('');
    const placed = placeProblems(
      [
        { pointer: '/hours/1/close', message: 'a', source: 'local' },
        { pointer: '/hours/1/close', message: 'b', source: 'server' },
      ],
      fields,
    );
    expect(placed.get('/hours/1/close')?.map((p) => p.message)).toEqual(['a', 'b']);
  });

  it('names a field as the form does', () => {
    expect(fieldLabel('/items/2/schedule/until', sample)).toBe(
      'Élément 3 « Vos démarches sur service-public.bj » › Programmation › Jusqu’au',
    );
    expect(fieldLabel('/hours/1/close', sample)).toBe('Heures d’ouverture › Plage 2 › Ferme à');
    expect(fieldLabel('/sign/open', sample)).toBe('Enseigne lumineuse › Message quand c’est ouvert');
    expect(fieldLabel('/items/3/steps/0/text', sample)).toMatch(/› Étape 1 › Texte$/);
  });

  it('checks a draft with the core, in French with typographic apostrophes', () => {
    expect(checkDraft(sample, Date.parse('2026-11-28T08:00:00Z')).problems).toEqual([]);
    const broken = setAt(setAt(sample, '/items/1/title', ''), '/items/1/link', 'http://x.bj');
    const { problems } = checkDraft(broken);
    expect(problems.map((p) => [p.pointer, p.message])).toEqual([
      ['/items/1/title', 'Ne doit pas être vide.'],
      ['/items/1/link', 'Doit commencer par https://.'],
    ]);
    const unknown = checkDraft(setAt(sample, '/items/0/colour', 'red')).problems[0]!;
    expect(unknown.message).toBe('N’est pas un champ connu (vérifiez l’orthographe).');
  });

  it('asks for the French text of every item, as main text or translation', () => {
    const fon = setAt(sample, '/items/2/lang', 'fon');
    expect(checkDraft(fon).problems.map((p) => p.pointer)).toEqual(['/items/2/lang']);
    const translated = setAt(fon, '/items/2/translations', [{ lang: 'fr', title: 'Titre', body: 'Texte' }]);
    expect(checkDraft(translated).problems).toEqual([]);
  });

  it('warns about a schedule that has ended, without blocking', () => {
    const ended = setAt(sample, '/items/2/schedule/until', '2026-01-31');
    const check = checkDraft(ended, Date.parse('2026-11-28T08:00:00Z'));
    expect(check.problems).toEqual([]);
    expect(check.warnings.map((w) => w.pointer)).toContain('/items/2/schedule/until');
  });
});

describe('the draft reducer', () => {
  const detail = (revision: number, playlist = sample): ChannelDetail => ({
    id: 'ccsp-lokossa',
    name: 'CCSP de Lokossa',
    published: null,
    draft: { playlist, state: 'editing', revision, author: 'awa', updatedAt: '', updatedBy: 'awa' },
    publishedPlaylist: null,
  });
  const empty: DraftModelState = { channel: 'ccsp-lokossa', revision: 0, dirty: false, serverProblems: [] };

  it('keeps unsaved edits across a reload (an expired session), drops them on reset', () => {
    const loaded = reduceDraft(empty, { type: 'loaded', detail: detail(3) });
    const edited = reduceDraft(loaded, {
      type: 'edited',
      playlist: setAt(sample, '/items/0/badge', 'X'),
      pointer: '/items/0/badge',
    });
    const reloaded = reduceDraft(edited, { type: 'loaded', detail: detail(4) });
    expect(reloaded.dirty).toBe(true);
    expect(reloaded.revision).toBe(3);
    expect(getAt(reloaded.playlist, '/items/0/badge')).toBe('X');
    const reset = reduceDraft(edited, { type: 'reset', detail: detail(4) });
    expect([reset.dirty, reset.revision, getAt(reset.playlist, '/items/0/badge')]).toEqual([
      false,
      4,
      'Gratuit',
    ]);
    const rebased = reduceDraft(edited, { type: 'rebased', detail: detail(4) });
    expect([rebased.dirty, rebased.revision, getAt(rebased.playlist, '/items/0/badge')]).toEqual([
      true,
      4,
      'X',
    ]);
  });

  it('drops a server problem once its field is edited, all of them when a list changes shape', () => {
    const refused = reduceDraft(reduceDraft(empty, { type: 'loaded', detail: detail(1) }), {
      type: 'refused',
      problems: [
        { pointer: '/items/0/title', message: "n'est pas bon" },
        { pointer: '/items/1/title', message: 'x' },
      ],
    });
    expect(refused.serverProblems[0]!.message).toBe('n’est pas bon');
    const one = reduceDraft(refused, { type: 'edited', playlist: sample, pointer: '/items/0/title' });
    expect(one.serverProblems.map((p) => p.pointer)).toEqual(['/items/1/title']);
    expect(reduceDraft(refused, { type: 'edited', playlist: sample }).serverProblems).toEqual([]);
  });
});

describe('routes, roles, words', () => {
  it('reads and writes the hash routes', () => {
    expect(parseRoute('#/chaines/ccsp-lokossa/historique/3')).toEqual({
      page: 'chaine',
      channel: 'ccsp-lokossa',
      tab: 'historique',
      version: 3,
    });
    expect(parseRoute('')).toEqual({ page: 'chaines' });
    expect(parseRoute('#/comptes')).toEqual({ page: 'comptes' });
    for (const hash of [
      '#/chaines',
      '#/chaines/x',
      '#/chaines/x/apercu',
      '#/chaines/x/historique/2',
      '#/journal',
    ])
      expect(routeHash(parseRoute(hash))).toBe(hash);
  });

  it('knows who may do what and who is who', () => {
    expect(hasRole('admin', 'validateur')).toBe(true);
    expect(hasRole('redacteur', 'validateur')).toBe(false);
    const user = { id: 3, login: 'koffi', name: 'Koffi', role: 'validateur' as const };
    expect(isSamePerson('koffi', user)).toBe(true);
    expect(isSamePerson({ id: 3 }, user)).toBe(true);
    expect(isSamePerson('awa', user)).toBe(false);
    expect(personName({ login: 'awa', name: 'Awa Houngbo' })).toBe('Awa Houngbo');
  });

  it('says dates and schedules in French', () => {
    expect(formatLocalDate('2026-12-12')).toBe('12 décembre 2026');
    expect(formatLocalDate('2026-12-12T12:00')).toBe('12 décembre 2026 à 12:00');
    expect(
      scheduleSummary({ schedule: { from: '2026-12-10', until: '2026-12-12T12:00', when: 'open' } }),
    ).toBe('du 10 décembre 2026, jusqu’au 12 décembre 2026 à 12:00, pendant l’ouverture');
  });
});
