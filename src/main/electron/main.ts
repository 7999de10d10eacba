/**
 * The Electron binding: lifecycle, the window, security, and IPC bound to the shared router.
 * It holds no logic of its own; the browser host binds the same router (src/main/browser-host).
 */
import { app, BrowserWindow, ipcMain, Menu, screen, session as electronSession, shell, type WebContents, type WebFrameMain } from 'electron';
import { join } from 'node:path';
import { channels } from '../../shared/contract';
import { err } from '../../shared/result';
import { setParseWorkerEntry } from '../../core/imports/parse';
import { startAppServices, type AppServices } from '../app-services';
import type { Session } from '../router/session';
import { DEFAULT_EXTERNAL_HOSTS, externalLinkAllowed } from '../../shared/external-links';
import { APP_URL, isAppUrl } from './app-origin';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { desktopAuditKey } from './audit-key';
import { chooseTokenStore } from './token-choice';
import { buildMenu } from './menu';
import { startUpdates } from './updater';
import { loadWindowState, saveWindowState } from './window-state';

const isDev = !app.isPackaged && !!process.env.ELECTRON_RENDERER_URL;
const devOrigin = isDev ? new URL(process.env.ELECTRON_RENDERER_URL!).origin : null;
registerAppScheme();
let services: AppServices | null = null;
let win: BrowserWindow | null = null;
let updates: { stop(): void } | null = null;
const sessions = new Map<number, Session>();

if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

/** Only our own page, in the top frame, may call the ledger. */
function trustedSender(frame: WebFrameMain | null, contents: WebContents): boolean {
  return !!frame && frame === contents.mainFrame && isAppUrl(frame.url, devOrigin);
}

/** Hosts links may open in the browser: the `externalLinkHosts` setting (a JSON list), else the defaults. */
async function externalHosts(): Promise<readonly string[]> {
  const row = await services?.core.db.selectFrom('settings').select('value').where('key', '=', 'externalLinkHosts').executeTakeFirst();
  try {
    const v: unknown = row ? JSON.parse(row.value) : null;
    return Array.isArray(v) && v.every((h) => typeof h === 'string') ? v : DEFAULT_EXTERNAL_HOSTS;
  } catch {
    return DEFAULT_EXTERNAL_HOSTS;
  }
}

function createWindow() {
  const state = loadWindowState(app.getPath('userData'), screen.getAllDisplays().map((d) => d.workArea));
  win = new BrowserWindow({
    ...state.bounds,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: 'Ledgerdesk',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win?.show());
  win.on('close', () => {
    if (win) saveWindowState(app.getPath('userData'), { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
  });
  const contents = win.webContents;
  const session = services!.router.openSession((event, payload) => {
    if (!contents.isDestroyed()) contents.send('ledgerdesk:event', { event, payload });
  });
  sessions.set(contents.id, session);
  contents.on('destroyed', () => {
    services?.router.closeSession(session);
    sessions.delete(contents.id);
  });
  if (isDev) void win.loadURL(process.env.ELECTRON_RENDERER_URL!);
  else void win.loadURL(APP_URL);
}

app.on('web-contents-created', (_e, contents) => {
  // No navigation, redirect or frame navigation away from the app and no new windows; links to
  // allowed hosts open in the user's browser.
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-frame-navigate', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void externalHosts().then((hosts) => {
      if (externalLinkAllowed(url, hosts)) void shell.openExternal(new URL(url).toString());
    });
    return { action: 'deny' };
  });
});

app.whenReady().then(async () => {
  // The bundled file-parser worker sits beside this file (electron.vite.config.ts builds it).
  setParseWorkerEntry(join(__dirname, 'parse-worker.cjs'));
  // The app uses no camera, microphone, notifications, geolocation, USB ...: every request and check is denied.
  electronSession.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  electronSession.defaultSession.setPermissionCheckHandler(() => false);
  serveRenderer(join(__dirname, '../renderer'));
  // Server tokens go to the OS key store (Keychain, DPAPI, libsecret); without one the user chooses.
  const tokenStore = await chooseTokenStore();
  services = await startAppServices(app.getPath('userData'), {
    resourcesDir: app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources'),
    tokenStore,
    auditKey: await desktopAuditKey(app.getPath('userData')).load(),
  });
  for (const channel of channels) {
    ipcMain.handle(channel, (event, input: unknown) => {
      const session = sessions.get(event.sender.id);
      if (!session || !trustedSender(event.senderFrame, event.sender)) return err('FORBIDDEN', 'Refused: the request did not come from the Ledgerdesk window.');
      return services!.router.invoke(session, channel, input);
    });
  }
  Menu.setApplicationMenu(buildMenu(isDev));
  createWindow();
  // New versions from the office server's update feed, installed only by a restart the user accepts.
  updates = startUpdates(services, () => win);
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
}).catch((e: unknown) => {
  // Starting failed (ledger unreadable, migrations refused): say so and quit rather than hang windowless.
  console.error('[ledgerdesk] could not start:', e);
  app.exit(1);
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => {
  updates?.stop();
  void services?.close();
});
