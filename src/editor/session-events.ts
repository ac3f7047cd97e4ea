/**
 * How a page tells the editor shell that the session is over: it fires
 * `ccsp-session-expired`; the shell shows the login form and keeps every unsaved
 * draft in memory, so nothing typed is lost.
 */
import { ApiError } from './api.ts';

export class CcspSessionExpiredEvent extends Event {
  constructor(readonly message: string) {
    super('ccsp-session-expired', { bubbles: true, composed: true });
  }
}

/** True (and the shell told) when `error` says the session is over; the caller then stops. */
export function sessionEnded(host: EventTarget, error: unknown): boolean {
  if (!(error instanceof ApiError) || error.status !== 401) return false;
  host.dispatchEvent(
    new CcspSessionExpiredEvent(
      error.code === 'session-expired'
        ? 'Votre session a expiré. Reconnectez-vous : vos modifications non enregistrées sont gardées.'
        : 'Vous n’êtes plus connecté. Reconnectez-vous : vos modifications non enregistrées sont gardées.',
    ),
  );
  return true;
}

/** The French message of any failure, for a status line. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Une erreur inattendue est survenue. Rechargez la page, puis réessayez.';
}

declare global {
  interface HTMLElementEventMap {
    'ccsp-session-expired': CcspSessionExpiredEvent;
  }
}
