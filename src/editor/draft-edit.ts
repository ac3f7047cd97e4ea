/**
 * Pure edits of a draft playlist, addressed by JSON pointer (RFC 6901), the same
 * pointers the validation reports: the form writes where the problem will point.
 * Every edit returns a new object and leaves its input untouched.
 */
import type { PlaylistDraft } from './api-types.ts';
import type { Kind } from './labels.ts';

/** The fields any kind of item may carry, for forms that read them loosely. */
export interface LooseItem {
  id?: string;
  kind?: Kind;
  lang?: string;
  priority?: 'normal' | 'urgent';
  essential?: boolean;
  title?: string;
  body?: string;
  duration?: number;
  maxDuration?: number;
  image?: string;
  badge?: string;
  link?: string;
  steps?: { text?: string; image?: string }[];
  documents?: string[];
  cost?: string;
  processingTime?: string;
  file?: string;
  hls?: string;
  poster?: string;
  captions?: { lang?: string; label?: string; file?: string }[];
  schedule?: LooseSchedule;
  translations?: LooseTranslation[];
}

export interface LooseSchedule {
  from?: string;
  until?: string;
  days?: string[];
  times?: { start?: string; end?: string }[];
  when?: 'always' | 'open' | 'closed';
  every?: number;
  share?: number;
}

export interface LooseTranslation {
  lang?: string;
  title?: string;
  body?: string;
  steps?: { text?: string }[];
  documents?: string[];
  cost?: string;
  processingTime?: string;
}

export type Path = (string | number)[];

export function parsePointer(pointer: string): Path {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function toPointer(path: readonly (string | number)[]): string {
  return path.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The value at `pointer`, or undefined. */
export function getAt(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const key of parsePointer(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function setPath(node: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path as [string | number, ...Path];
  if (typeof key === 'number') {
    const list = Array.isArray(node) ? [...(node as unknown[])] : [];
    list[key] = setPath(list[key], rest, value);
    return list;
  }
  const object = { ...(node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : {}) };
  const next = setPath(object[key], rest, value);
  if (next === undefined) delete object[key];
  else object[key] = next;
  return object;
}

/** A copy of `doc` with `value` at `pointer` (undefined removes the field; parents are created). */
export function setAt<T>(doc: T, pointer: string, value: unknown): T {
  return setPath(doc, parsePointer(pointer), value) as T;
}

/** A copy with the list at `pointer` changed by `change` (an absent list is empty; an empty result is removed when `dropEmpty`). */
export function updateList<T>(
  doc: T,
  pointer: string,
  change: (list: unknown[]) => unknown[],
  dropEmpty = false,
): T {
  const current = getAt(doc, pointer);
  const next = change(Array.isArray(current) ? [...current] : []);
  return setAt(doc, pointer, dropEmpty && next.length === 0 ? undefined : next);
}

export function moveInList<E>(list: E[], from: number, to: number): E[] {
  if (to < 0 || to >= list.length || from === to) return list;
  const copy = [...list];
  const [moved] = copy.splice(from, 1);
  copy.splice(to, 0, moved as E);
  return copy;
}

export function removeFromList<E>(list: E[], index: number): E[] {
  return list.filter((_, i) => i !== index);
}

const ID_BASES: Record<Kind, string> = { announcement: 'annonce', explainer: 'demarche', video: 'video' };

/** A lowercase id in the schema's pattern from a French title: `Carte d’électeur` → `carte-d-electeur`. */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

/** `base`, or `base-2`, `base-3`… : the first not used by another item. */
export function uniqueId(base: string, items: readonly { id?: string }[]): string {
  const taken = new Set(items.map((i) => i.id));
  const root = slugify(base) || 'element';
  if (!taken.has(root)) return root;
  for (let n = 2; ; n++) if (!taken.has(`${root}-${n}`)) return `${root}-${n}`;
}

/** A new item of the given kind, empty but for what staff should not have to type. */
export function newItem(kind: Kind, items: readonly { id?: string }[]): LooseItem {
  const id = uniqueId(ID_BASES[kind], items);
  switch (kind) {
    case 'announcement':
      // The schedule is there so that the missing end date is reported on its own field.
      return { id, kind, lang: 'fr', title: '', body: '', duration: 12, schedule: {} };
    case 'explainer':
      return { id, kind, lang: 'fr', title: '', duration: 30, steps: [{ text: '' }] };
    case 'video':
      return { id, kind, lang: 'fr', title: '', captions: [{ lang: 'fr', label: 'Français' }] };
  }
}

/** A copy of the item at `index`, placed right after it, with its own id. */
export function duplicateItem(playlist: PlaylistDraft, index: number): PlaylistDraft {
  const items = playlist.items as LooseItem[];
  const original = items[index];
  if (!original) return playlist;
  const copy = structuredClone(original);
  copy.id = uniqueId(`${original.id ?? 'element'}-copie`, items);
  const next = [...items];
  next.splice(index + 1, 0, copy);
  return { ...playlist, items: next as PlaylistDraft['items'] };
}

/** A minimal channel for a draft the server gave without content (a new channel). */
export function emptyPlaylist(channel: string, name: string): PlaylistDraft {
  return {
    channel,
    site: { name, commune: '', department: 'Mono' },
    hours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '12:30' }],
    items: [],
    sign: { open: 'OUVERT', closed: 'FERMÉ — réouverture {reouverture}' },
  } as PlaylistDraft;
}

/** An item that is not an announcement and whose schedule says nothing has no schedule (every moment). */
export function tidySchedule(playlist: PlaylistDraft, index: number): PlaylistDraft {
  const item = playlist.items[index] as LooseItem | undefined;
  if (!item || item.kind === 'announcement' || !item.schedule) return playlist;
  if (Object.keys(item.schedule).length > 0) return playlist;
  return setAt(playlist, `/items/${index}/schedule`, undefined);
}
