/**
 * The address of a screen: `#/<page>?<params>`. Hash routes need no server support (the browser
 * host serves one index.html, Electron loads a file), and Back/Forward/reload/deep links just work.
 */
export interface Route {
  page: string;
  params?: Record<string, string>;
}

const PAGE_KEY = /^[a-z][a-z0-9-]*$/;

export function formatRoute(r: Route): string {
  const qs = new URLSearchParams(r.params ?? {}).toString();
  return `#/${r.page}${qs ? `?${qs}` : ''}`;
}

/** Parses `#/page?a=b`; anything else (the launch token, an empty hash) is no route. */
export function parseRoute(hash: string): Route | null {
  if (!hash.startsWith('#/')) return null;
  const rest = hash.slice(2);
  const q = rest.indexOf('?');
  const page = decodeURIComponent(q < 0 ? rest : rest.slice(0, q));
  if (!PAGE_KEY.test(page)) return null;
  const params = Object.fromEntries(new URLSearchParams(q < 0 ? '' : rest.slice(q + 1)));
  return Object.keys(params).length > 0 ? { page, params } : { page };
}

export const sameRoute = (a: Route, b: Route) => formatRoute(a) === formatRoute(b);
