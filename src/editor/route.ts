/**
 * The editor's pages, addressed by the URL's hash (`#/chaines/ccsp-lokossa`), so
 * that every page has its own address, Back works, and the server serves one file.
 */
export type Route =
  | { page: 'chaines' }
  | { page: 'chaine'; channel: string; tab: ChannelTab; version?: number }
  | { page: 'mediatheque' }
  | { page: 'parc' }
  | { page: 'comptes' }
  | { page: 'journal' };

export type ChannelTab = 'elements' | 'reglages' | 'apercu' | 'historique';
const TABS: readonly ChannelTab[] = ['elements', 'reglages', 'apercu', 'historique'];

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((p) => decodeURIComponent(p));
  const [first, second, third, fourth] = parts;
  switch (first) {
    case 'chaines': {
      if (!second) return { page: 'chaines' };
      const tab = TABS.includes(third as ChannelTab) ? (third as ChannelTab) : 'elements';
      const version = tab === 'historique' && fourth && /^\d+$/.test(fourth) ? Number(fourth) : undefined;
      return version === undefined
        ? { page: 'chaine', channel: second, tab }
        : { page: 'chaine', channel: second, tab, version };
    }
    case 'mediatheque':
    case 'parc':
    case 'comptes':
    case 'journal':
      return { page: first };
    default:
      return { page: 'chaines' };
  }
}

export function routeHash(route: Route): string {
  if (route.page !== 'chaine') return `#/${route.page}`;
  const base = `#/chaines/${encodeURIComponent(route.channel)}`;
  if (route.tab === 'elements') return base;
  return route.version === undefined ? `${base}/${route.tab}` : `${base}/${route.tab}/${route.version}`;
}
