/**
 * Finding 9 (what can run here: the Electron binary cannot). The binding's rules are pure
 * functions tested directly; that the binding uses them is checked in its source and config.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAppUrl } from '../../src/main/electron/app-origin';
import { CSP } from '../../src/shared/csp';
import { externalLinkAllowed } from '../../src/shared/external-links';

const read = (p: string) => readFileSync(p, 'utf8');

describe('Electron binding', () => {
  it('the IPC sender check accepts exactly the app origin', () => {
    expect(isAppUrl('app://ledgerdesk/index.html', null)).toBe(true);
    expect(isAppUrl('file:///home/x/evil/renderer/index.html', null)).toBe(false);
    expect(isAppUrl('app://evil/index.html', null)).toBe(false);
    expect(isAppUrl('https://ledgerdesk/index.html', null)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  });

  it('openExternal is limited to allowed https hosts and mailto:', () => {
    const hosts = ['help.ledgerdesk.example'];
    expect(externalLinkAllowed('https://help.ledgerdesk.example/deposits', hosts)).toBe(true);
    expect(externalLinkAllowed('https://docs.help.ledgerdesk.example/x', hosts)).toBe(true);
    expect(externalLinkAllowed('mailto:billing@example.org', hosts)).toBe(true);
    expect(externalLinkAllowed('https://evil.example/phish', hosts)).toBe(false);
    expect(externalLinkAllowed('https://help.ledgerdesk.example.evil.example/', hosts)).toBe(false);
    expect(externalLinkAllowed('https://user:pw@help.ledgerdesk.example/', hosts)).toBe(false);
    expect(externalLinkAllowed('http://help.ledgerdesk.example/', hosts)).toBe(false);
    expect(externalLinkAllowed('file:///etc/passwd', hosts)).toBe(false);
    expect(externalLinkAllowed('not a url', hosts)).toBe(false);
  });

  it('the binding denies permissions, redirects and frame navigation, and serves app:// instead of file://', () => {
    const main = read('src/main/electron/main.ts');
    for (const s of ['setPermissionRequestHandler', 'setPermissionCheckHandler', "'will-redirect'", "'will-frame-navigate'", "'will-navigate'", 'loadURL(APP_URL)', 'externalLinkAllowed', 'chooseTokenStore']) expect(main).toContain(s);
    expect(main).not.toMatch(/loadFile\(|safeStorage\.isEncryptionAvailable\(\) \?/);
    expect(read('src/main/electron/app-protocol.ts')).toContain('standard: true, secure: true');
    expect(read('electron-builder.yml')).toMatch(/grantFileProtocolExtraPrivileges: false/);
  });

  it('one CSP: no copy in the renderer page; both bindings send the shared one', () => {
    expect(read('src/renderer/index.html')).not.toMatch(/Content-Security-Policy/i);
    expect(read('src/main/browser-host/static-files.ts')).toContain("import { CSP } from '../../shared/csp'");
    expect(read('src/main/electron/app-protocol.ts')).toContain("import { CSP } from '../../shared/csp'");
    expect(CSP).toContain("default-src 'self'");
    expect(CSP).toContain("frame-ancestors 'none'");
  });
});
