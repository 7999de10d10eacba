/**
 * The Electron binding: lifecycle, the window, security, and IPC bound to the shared router.
 * It holds no logic of its own; the browser host binds the same router (src/main/browser-host).
 */
import { app, BrowserWindow, ipcMain, Menu, safeStorage, screen, shell, type WebContents, type WebFrameMain } from 'electron';
import { join } from 'node:path';
import { channels } from '../../shared/contract';
import { err } from '../../shared/result';
import { setParseWorkerEntry } from '../../core/imports/parse';
import { startAppServices, type AppServices } from '../app-services';
import type { Session } from '../router/session';
import { SafeStorageTokenStore } from '../sync/token-store';
import { buildMenu } from './menu';
import { loadWindowState, saveWindowState } from './window-state';

const isDev = !app.isPackaged && !!process.env.ELECTRON_RENDERER_URL;
let services: AppServices | null = null;
let win: BrowserWindow | null = null;
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
  if (!frame || frame !== contents.mainFrame) return false;
  const url = new URL(frame.url);
  if (isDev) return url.origin === new URL(process.env.ELECTRON_RENDERER_URL!).origin;
  return url.protocol === 'file:' && url.pathname.endsWith('/renderer/index.html');
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
  else void win.loadFile(join(__dirname, '../renderer/index.html'));
}

app.on('web-contents-created', (_e, contents) => {
  // No navigation away from the app and no new windows; https links open in the user's browser.
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    try {
      const u = new URL(url);
      if (u.protocol === 'https:' || u.protocol === 'mailto:') void shell.openExternal(u.toString());
    } catch {
      /* not a URL: ignore */
    }
    return { action: 'deny' };
  });
});

app.whenReady().then(async () => {
  // The bundled file-parser worker sits beside this file (electron.vite.config.ts builds it).
  setParseWorkerEntry(join(__dirname, 'parse-worker.cjs'));
  // Server tokens go to the OS key store (Keychain, DPAPI, libsecret); without one, a user-only file.
  const tokenStore = safeStorage.isEncryptionAvailable() ? new SafeStorageTokenStore(join(app.getPath('userData'), 'server-tokens.bin'), safeStorage) : undefined;
  services = await startAppServices(app.getPath('userData'), {
    resourcesDir: app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources'),
    tokenStore,
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
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => void services?.close());
