/**
 * A stand-in for the editor's server inside web-test-runner, which has none:
 * `window.fetch` answers the listed API routes and passes anything else to the
 * real fetch. The end-to-end test against the real server covers the real API.
 */
export type Route = (request: { method: string; url: URL; body: unknown }) => unknown | Response;

export interface Stub {
  calls: { method: string; path: string; body: unknown }[];
  restore(): void;
}

/** `routes` keyed by `METHOD /path`; a handler returns a JSON body or a Response. */
export function stubApi(routes: Record<string, Route>): Stub {
  const real = window.fetch;
  const calls: Stub['calls'] = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const route = routes[`${method} ${url.pathname}`];
    if (!route) return real(input, init);
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ method, path: url.pathname, body });
    const answer = await route({ method, url, body });
    if (answer instanceof Response) return answer;
    return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } });
  };
  return {
    calls,
    restore: () => {
      window.fetch = real;
    },
  };
}

/** An error answer in the API's shape (docs/editor-api.md "Conventions"). */
export function apiError(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}
