/**
 * The draft of one channel while staff edit it (STYLE.md "Streams and state"): a
 * pure reducer, a private BehaviorSubject, and the check run as they type (the
 * core's validateSourcePlaylist and schedule lint, in the browser, no server
 * round trip). The editor shell keeps one model per channel, so an unsaved draft
 * outlives its page, and a session that expires.
 */
import {
  asyncScheduler,
  BehaviorSubject,
  debounceTime,
  distinctUntilChanged,
  map,
  type Observable,
  type SchedulerLike,
  shareReplay,
} from 'rxjs';
import { lintSchedule, validateSourcePlaylist } from '../core/index.ts';
import type { ApiProblem } from './api.ts';
import type { ChannelDetail, DraftInfo, PlaylistDraft } from './api-types.ts';
import { emptyPlaylist, type LooseItem } from './draft-edit.ts';
import { problemMessage, type ShownProblem } from './problems.ts';
import { typographic } from './labels.ts';

export interface DraftModelState {
  channel: string;
  /** What the server said last about the channel. */
  detail?: ChannelDetail;
  /** The draft as edited here. */
  playlist?: PlaylistDraft;
  /** The server draft's revision these edits start from (0: no draft on the server yet). */
  revision: number;
  /** Edited since the last load or save. */
  dirty: boolean;
  /** Field problems of the last refused request, until their field is edited. */
  serverProblems: ShownProblem[];
}

export type DraftEvent =
  /** The server's view; a dirty draft is kept (a save will then say whether someone else saved). */
  | { type: 'loaded'; detail: ChannelDetail }
  /** The server's view, dropping local edits ("Recharger"). */
  | { type: 'reset'; detail: ChannelDetail }
  /** Keeps the local edits, now based on the server's current revision ("Enregistrer ma version par-dessus"). */
  | { type: 'rebased'; detail: ChannelDetail }
  /** An edit; `pointer` is the field changed, or absent when the list changed shape. */
  | { type: 'edited'; playlist: PlaylistDraft; pointer?: string }
  | { type: 'saved'; draft: DraftInfo & { playlist?: PlaylistDraft } }
  | { type: 'refused'; problems: readonly ApiProblem[] };

function fromServer(state: DraftModelState, detail: ChannelDetail): DraftModelState {
  const playlist =
    detail.draft?.playlist ?? detail.publishedPlaylist ?? emptyPlaylist(detail.id, detail.name);
  return {
    ...state,
    detail,
    playlist: structuredClone(playlist),
    revision: detail.draft?.revision ?? 0,
    dirty: false,
    serverProblems: [],
  };
}

export function reduceDraft(state: DraftModelState, event: DraftEvent): DraftModelState {
  switch (event.type) {
    case 'loaded':
      return state.dirty && state.playlist
        ? { ...state, detail: event.detail }
        : fromServer(state, event.detail);
    case 'reset':
      return fromServer(state, event.detail);
    case 'rebased':
      return { ...state, detail: event.detail, revision: event.detail.draft?.revision ?? 0, dirty: true };
    case 'edited': {
      const pointer = event.pointer;
      // A field's own problems go once it is edited; a reshaped list moves every pointer after it.
      const serverProblems =
        pointer === undefined
          ? []
          : state.serverProblems.filter((p) => p.pointer !== pointer && !p.pointer.startsWith(`${pointer}/`));
      return { ...state, playlist: event.playlist, dirty: true, serverProblems };
    }
    case 'saved': {
      const detail = state.detail && {
        ...state.detail,
        draft: { ...event.draft, playlist: event.draft.playlist ?? state.playlist! },
      };
      return {
        ...state,
        ...(detail ? { detail } : {}),
        revision: event.draft.revision,
        dirty: false,
        serverProblems: [],
      };
    }
    case 'refused':
      return {
        ...state,
        serverProblems: event.problems.map((p) => ({
          pointer: p.pointer,
          message: typographic(p.message),
          source: 'server' as const,
        })),
      };
  }
}

export interface DraftCheck {
  problems: ShownProblem[];
  /** Legal but probably unmeant (an item that can never play…): shown, never blocking. */
  warnings: ShownProblem[];
}

/**
 * The editor's own rule on top of the schema: every item has its text in French, the
 * official language, as its main text or as a translation (issue 8).
 */
export function frenchProblems(playlist: PlaylistDraft): ShownProblem[] {
  const items = Array.isArray(playlist.items) ? (playlist.items as LooseItem[]) : [];
  return items.flatMap((item, i) =>
    !item || item.lang === 'fr' || item.translations?.some((t) => t.lang === 'fr')
      ? []
      : [
          {
            pointer: `/items/${i}/lang`,
            message: 'Le texte en français est obligatoire : mettez-le en texte principal ou en traduction.',
            source: 'local' as const,
          },
        ],
  );
}

/** The core's checks of a draft, and the editor's own, in French. */
export function checkDraft(playlist: PlaylistDraft | undefined, now = Date.now()): DraftCheck {
  if (!playlist) return { problems: [], warnings: [] };
  const result = validateSourcePlaylist(playlist);
  const french = frenchProblems(playlist);
  if (!result.ok) {
    const core = result.problems.map((p) => ({
      pointer: p.pointer,
      message: problemMessage(p),
      source: 'local' as const,
    }));
    return { problems: [...core, ...french], warnings: [] };
  }
  if (french.length > 0) return { problems: french, warnings: [] };
  const warnings = lintSchedule(result.value, now).map((w) => ({
    pointer: w.pointer,
    message: typographic(w.fr.charAt(0).toUpperCase() + w.fr.slice(1)) + '.',
    source: 'local' as const,
  }));
  return { problems: [], warnings };
}

export class DraftModel {
  private readonly subject: BehaviorSubject<DraftModelState>;
  readonly state$: Observable<DraftModelState>;
  /** The check of the draft, run again a moment after each edit. */
  readonly check$: Observable<DraftCheck>;

  constructor(channel: string, scheduler: SchedulerLike = asyncScheduler) {
    this.subject = new BehaviorSubject<DraftModelState>({
      channel,
      revision: 0,
      dirty: false,
      serverProblems: [],
    });
    this.state$ = this.subject.asObservable();
    const playlist$ = this.state$.pipe(
      map((s) => s.playlist),
      distinctUntilChanged(),
    );
    this.check$ = playlist$.pipe(
      debounceTime(120, scheduler),
      map((p) => checkDraft(p)),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
  }

  get state(): DraftModelState {
    return this.subject.value;
  }

  dispatch(event: DraftEvent): void {
    this.subject.next(reduceDraft(this.subject.value, event));
  }
}
