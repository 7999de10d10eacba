/** The renderer's origin: app://ledgerdesk (a standard, secure scheme instead of file://). No `electron` import here, so tests can load it. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ledgerdesk';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Our own page: exactly app://ledgerdesk (or, in development, the dev server's origin). */
export function isAppUrl(raw: string, devOrigin: string | null): boolean {
  try {
    const u = new URL(raw);
    if (devOrigin) return u.origin === devOrigin;
    // Node's URL gives non-special schemes an opaque origin: compare scheme and host.
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}
