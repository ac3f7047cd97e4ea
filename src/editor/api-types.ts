/**
 * The shapes of the editor API's answers (docs/editor-api.md), as the pages read
 * them. Who wrote or approved something is a person: the server may name them by
 * login or give the user object, so pages go through `personName`.
 */
import type { SourcePlaylistInput } from '../core/index.ts';

export type Role = 'redacteur' | 'validateur' | 'admin';

export interface User {
  id: number | string;
  login: string;
  name: string;
  role: Role;
}

export interface Account extends User {
  disabled: boolean;
  createdAt: string;
}

/** A person as the server names them in drafts, versions and the journal. */
export type Person = string | { id?: number | string; login?: string; name?: string } | null | undefined;

export type DraftState = 'editing' | 'submitted';

export interface PublishedInfo {
  version: number;
  issued: string;
  by?: Person;
}

export interface DraftInfo {
  state: DraftState;
  revision: number;
  author: Person;
  updatedAt: string;
  updatedBy: Person;
  submittedAt?: string | null;
  comment?: string | null;
}

export interface ChannelSummary {
  id: string;
  name: string;
  timezone?: string;
  published: PublishedInfo | null;
  draft: DraftInfo | null;
}

/** A draft being edited: a source playlist whose media are library names; it may be invalid. */
export type PlaylistDraft = SourcePlaylistInput;

export interface ChannelDetail {
  id: string;
  name: string;
  timezone?: string;
  published: PublishedInfo | null;
  draft: (DraftInfo & { playlist: PlaylistDraft }) | null;
  publishedPlaylist: PlaylistDraft | null;
}

export interface VersionSummary {
  version: number;
  issued: string;
  author: Person;
  approvedBy: Person;
  items: number | unknown[];
}

export interface AuditEntry {
  at: string;
  user: Person;
  action: string;
  channel?: string | null;
  detail?: unknown;
}

/** The display name of a person, whatever form the server gave. */
export function personName(person: Person): string {
  if (!person) return 'inconnu';
  // The server's own name for versions read from playlists/*.json at start.
  if (person === 'import') return 'import automatique';
  if (typeof person === 'string') return person;
  return person.name || person.login || String(person.id ?? 'inconnu');
}

/** Whether a person named by the server is this user (by login, id or name). */
export function isSamePerson(person: Person, user: User | undefined): boolean {
  if (!person || !user) return false;
  if (typeof person === 'string') return person === user.login || person === String(user.id);
  if (person.id !== undefined && String(person.id) === String(user.id)) return true;
  return person.login !== undefined && person.login === user.login;
}
