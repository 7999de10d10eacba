import { app, dialog, safeStorage } from 'electron';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFileWithin } from '../files/read-within';
import { FileTokenStore, SafeStorageTokenStore, type StoredToken, type TokenStore } from '../sync/token-store';

/** Tokens kept only while the app runs: the user signs in to the server at each start. */
class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredToken>();
  async get(userId: string) {
    return this.tokens.get(userId) ?? null;
  }
  async set(userId: string, t: StoredToken) {
    this.tokens.set(userId, t);
  }
  async delete(userId: string) {
    this.tokens.delete(userId);
  }
  async all() {
    return Object.fromEntries(this.tokens);
  }
}

type Choice = 'memory' | 'file';

/**
 * Where server tokens live: the OS key store (safeStorage) when there is one. Without it the user
 * is told, and chooses: sign in each time (nothing kept), or a file only their account can read.
 * The choice is remembered.
 */
export async function chooseTokenStore(): Promise<TokenStore> {
  const dir = app.getPath('userData');
  if (safeStorage.isEncryptionAvailable()) return new SafeStorageTokenStore(join(dir, 'server-tokens.bin'), safeStorage);
  const remembered = join(dir, 'token-storage-choice.json');
  let choice: Choice | null = null;
  try {
    if (existsSync(remembered)) choice = (JSON.parse(readFileWithin(remembered, 4096).toString('utf8')) as { choice?: Choice }).choice ?? null;
  } catch {
    choice = null;
  }
  if (!choice) {
    const r = await dialog.showMessageBox({
      type: 'warning',
      title: 'Ledgerdesk',
      message: "This computer's key store is not available, so Ledgerdesk cannot keep your server sign-in encrypted.",
      detail:
        'Sign in each time: nothing is kept; you sign in to the server whenever Ledgerdesk starts.\n' +
        'Keep it in a file: the sign-in is kept unencrypted in a file only your user account can read.',
      buttons: ['Sign in each time', 'Keep it in a file'],
      defaultId: 0,
      cancelId: 0,
      checkboxLabel: 'Remember my choice',
      checkboxChecked: true,
    });
    choice = r.response === 1 ? 'file' : 'memory';
    if (r.checkboxChecked) writeFileSync(remembered, JSON.stringify({ choice }), { mode: 0o600 });
  }
  return choice === 'file' ? new FileTokenStore(join(dir, 'server-tokens.json')) : new MemoryTokenStore();
}
