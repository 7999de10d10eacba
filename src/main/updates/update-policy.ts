/**
 * When a desk may check for, download and install a new version from its office server. Pure
 * decisions, no Electron: src/main/updates/update-service.ts applies them to an updater, and
 * src/main/electron/updater.ts binds that to electron-updater.
 */

/** The electron-updater "generic" feed on the office server (src/server/updates.ts). The trailing slash keeps file names under it. */
export function updateFeedUrl(serverUrl: string | null | undefined): string | null {
  if (!serverUrl) return null;
  let u: URL;
  try {
    u = new URL(serverUrl);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}/v1/updates/`;
}

export interface WorkOnDesk {
  /** Commands entered here that the server has not answered yet. */
  unsynced: number;
  /** A form with entered, unsaved values is open (the window's leave guard). */
  formOpen: boolean;
}

export type RestartDecision = { offer: true } | { offer: false; reason: string };

/**
 * A downloaded update is installed by restarting; the restart is offered only when nothing on the
 * desk would be interrupted: no unsynced work (so what the clerks entered is on the server before
 * the app goes away, even if the new version misbehaves) and no open form.
 */
export function restartDecision(ready: { version: string } | null, work: WorkOnDesk): RestartDecision {
  if (!ready) return { offer: false, reason: 'No update has been downloaded.' };
  if (work.unsynced > 0) return { offer: false, reason: `Waiting until ${work.unsynced === 1 ? 'the change entered here reaches' : `all ${work.unsynced} changes entered here reach`} the server.` };
  if (work.formOpen) return { offer: false, reason: 'Waiting until the open form is finished or left.' };
  return { offer: true };
}

/** How often a desk asks its server for a new version (and once shortly after start). */
export const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

export function checkDue(lastCheckAt: number | null, nowMs: number, everyMs = CHECK_EVERY_MS): boolean {
  return lastCheckAt === null || nowMs - lastCheckAt >= everyMs;
}
