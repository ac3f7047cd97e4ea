/**
 * The events the player sends up (STYLE.md "properties down, events up"), typed once.
 * They bubble and cross shadow roots, so a page or a test listens on the player or the document.
 */
import type { PlayRecord } from '../core/telemetry/index.ts';

export type ItemErrorReason =
  | 'media-missing'
  | 'media-undecodable'
  | 'video-error'
  | 'video-start-timeout'
  | 'video-stalled'
  | 'hls-error'
  | 'unknown-kind'
  | 'prepare-timeout';

export interface ItemErrorDetail {
  itemId: string;
  reason: ItemErrorReason;
  /** English, for logs. */
  message: string;
}

export interface ItemStartDetail {
  itemId: string;
  /** Effective duration in milliseconds. */
  duration: number;
  /** Sequence number of this showing. */
  play: number;
}

export class CcspItemErrorEvent extends CustomEvent<ItemErrorDetail> {
  static readonly type = 'ccsp-item-error';
  constructor(detail: ItemErrorDetail) {
    super(CcspItemErrorEvent.type, { detail, bubbles: true, composed: true });
  }
}

export class CcspItemStartEvent extends CustomEvent<ItemStartDetail> {
  static readonly type = 'ccsp-item-start';
  constructor(detail: ItemStartDetail) {
    super(CcspItemStartEvent.type, { detail, bubbles: true, composed: true });
  }
}

/** One showing of an item ended and was recorded for proof of play (issue 7, docs/telemetry.md). */
export class CcspPlayEvent extends CustomEvent<PlayRecord> {
  static readonly type = 'ccsp-play';
  constructor(detail: PlayRecord) {
    super(CcspPlayEvent.type, { detail, bubbles: true, composed: true });
  }
}

/** An item could not be shown; `reason` says why. Thrown by prepare(), turned into a CcspItemErrorEvent. */
export class ItemError extends Error {
  override name = 'ItemError';
  constructor(
    readonly reason: ItemErrorReason,
    message: string,
  ) {
    super(message);
  }
}

declare global {
  interface HTMLElementEventMap {
    'ccsp-item-error': CcspItemErrorEvent;
    'ccsp-item-start': CcspItemStartEvent;
    'ccsp-play': CcspPlayEvent;
  }
}
