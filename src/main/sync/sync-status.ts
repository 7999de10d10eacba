import type { SyncStatusDTO } from '../../shared/contract/sync';

/**
 * The sync status the header shows, and every text the sync client shows a clerk, in one place.
 */

export type SyncStatus = SyncStatusDTO;

export const SYNC_TEXT = {
  noServer: 'No server is configured.',
  signInToSync: 'Sign in to the server to sync.',
  signInToDownload: 'Sign in to the server to download this file.',
  noFileStore: 'This desktop has no file store.',
  fileMismatch: 'The downloaded file does not match its SHA-256; it was not kept.',
  fileGone: 'The file this command needs is no longer on this computer, so it could not be sent.',
  urlScheme: 'The server address must start with https://',
  offline: 'The server cannot be reached; work is kept here and sent when it can.',
  refused: 'The server refused the last sync; an administrator can see the reason.',
  waitingForSignIn: (users: string[]) =>
    `Waiting for ${users.join(', ')} to sign in to the server: ${users.length === 1 ? 'their' : "these users'"} changes are kept here until then.`,
} as const;

export const initialStatus = (): SyncStatus => ({
  configured: false,
  serverUrl: null,
  online: false,
  syncing: false,
  pending: 0,
  needsAttention: 0,
  lastSyncedAt: null,
  lastError: null,
  waitingForSignIn: [],
  blocked: null,
});

/** What holds sync back, in the header's words. */
export function blockedReason(st: SyncStatus): SyncStatus['blocked'] {
  if (!st.configured) return null;
  if (st.waitingForSignIn.length > 0) return { kind: 'sign-in', message: SYNC_TEXT.waitingForSignIn(st.waitingForSignIn) };
  if (!st.online) return st.lastError ? { kind: 'offline', message: SYNC_TEXT.offline } : null;
  if (st.lastError) return { kind: 'error', message: SYNC_TEXT.refused };
  return null;
}

/** A copy for the renderer, with the reason filled in. */
export const statusView = (st: SyncStatus): SyncStatus => ({ ...st, waitingForSignIn: [...st.waitingForSignIn], blocked: blockedReason(st) });
