/** Host names that never leave this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Why a desk must not use this server address, or null when it may. Passwords and tokens travel
 * to the server, so plain http:// is allowed only to this machine (a test or a local proxy).
 */
export function serverAddressProblem(address: string): string | null {
  let u: URL;
  try {
    u = new URL(address);
  } catch {
    return 'Enter the server address, e.g. https://ledger.example.org';
  }
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return null;
  if (u.protocol === 'http:') return `The server address must start with https:// (plain http:// would send passwords and tokens unencrypted to ${u.hostname}; it is allowed only for this computer).`;
  return 'The server address must start with https://';
}
