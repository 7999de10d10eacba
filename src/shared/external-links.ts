/** Hosts links may open in the user's browser when the settings name none (help pages). */
export const DEFAULT_EXTERNAL_HOSTS: readonly string[] = ['ledgerdesk.example.org'];

/**
 * Whether a link from the app may be opened outside it: https to an allowed host (or one of its
 * subdomains), or a mailto: address. Anything else stays closed.
 */
export function externalLinkAllowed(url: string, allowedHosts: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'mailto:') return true;
  if (u.protocol !== 'https:' || u.username || u.password) return false;
  const host = u.hostname.toLowerCase();
  return allowedHosts.some((h) => host === h.toLowerCase() || host.endsWith(`.${h.toLowerCase()}`));
}
