/**
 * Updates from the office server, bound to Electron: electron-updater's autoUpdater reads the
 * server's generic feed (/v1/updates/, see src/server/updates.ts); every decision is in
 * src/main/updates/. A form with unsaved values keeps the window from closing (the renderer's leave
 * guard), so a restart chosen while one is open does not happen; the desk then waits and asks again.
 */
import { app, dialog, type BrowserWindow } from 'electron';
import { autoUpdater } from 'electron-updater';
import type { AppServices } from '../app-services';
import { UpdateService, type Updater } from '../updates/update-service';

export function startUpdates(services: AppServices, window: () => BrowserWindow | null): { stop(): void } {
  if (!app.isPackaged) return { stop: () => undefined }; // a development build has no release to compare with
  let formOpenUntil = 0;
  const service = new UpdateService({
    updater: autoUpdater as unknown as Updater,
    serverUrl: () => services.sync.status().serverUrl,
    work: () => ({ unsynced: services.sync.status().pending, formOpen: Date.now() < formOpenUntil }),
    nowMs: () => Date.now(),
    offerRestart: async (version) => {
      const win = window();
      const options = {
        type: 'info' as const,
        buttons: ['Restart now', 'Later'],
        defaultId: 0,
        cancelId: 1,
        message: `Ledgerdesk ${version} is ready to install`,
        detail: 'Everything entered on this computer has reached the office server. Restart Ledgerdesk to use the new version; it takes a moment.',
      };
      const r = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
      return r.response === 0;
    },
  });
  const watch = (win: BrowserWindow | null) =>
    win?.webContents.on('will-prevent-unload', () => {
      formOpenUntil = Date.now() + 10 * 60 * 1000; // the open form said no: ask again later
    });
  watch(window());
  const tick = () => void service.check().then(() => service.reconsider());
  const first = setTimeout(tick, 60_000);
  const every = setInterval(tick, 5 * 60_000);
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
