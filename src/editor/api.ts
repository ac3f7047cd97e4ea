/**
 * The editor's client for its server's JSON API (docs/editor-api.md). Every
 * failure is an ApiError with the server's French message, so a page can show
 * it as is, and its field-level problems next to their fields.
 */

export interface ApiProblem {
  /** JSON pointer into the request's playlist (or body), e.g. `/items/2/schedule/until`. */
  pointer: string;
  message: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    /** Stable English code: `bad-credentials`, `invalid`, `conflict`, … (0-status: `network`). */
    readonly code: string,
    /** For staff, in French. */
    message: string,
    readonly problems: readonly ApiProblem[] = [],
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Calls `/api/editor/<path>` (or an absolute `/…` path) with a JSON body; resolves to the JSON answer. */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const url = path.startsWith('/') ? path : `/api/editor/${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Le serveur ne répond pas. Vérifiez la connexion, puis réessayez.');
  }
  return readAnswer<T>(response);
}

/** The JSON of a response, or its error as an ApiError. */
export async function readAnswer<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (response.ok) return json as T;
  const error = (json as { error?: { code?: string; message?: string; problems?: ApiProblem[] } } | undefined)
    ?.error;
  throw new ApiError(
    response.status,
    error?.code ?? `http-${response.status}`,
    error?.message ?? `Le serveur a répondu ${response.status}. Réessayez dans un instant.`,
    error?.problems ?? [],
  );
}
