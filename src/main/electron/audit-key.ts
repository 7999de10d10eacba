import { safeStorage } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encryptedFileAuditKey, fileAuditKey, type AuditKeyProvider } from '../../core/audit/audit-key';

/**
 * The desk's audit key (it seals the audit chain): kept encrypted by the OS key store (Keychain,
 * DPAPI, libsecret) through safeStorage. Without a key store it is a file only this user can read,
 * as for the browser host. Whichever was used first stays: a changed key would break the seal.
 */
export function desktopAuditKey(userData: string): AuditKeyProvider {
  const plain = join(userData, 'audit.key');
  if (existsSync(plain) || !safeStorage.isEncryptionAvailable()) return fileAuditKey(plain);
  return encryptedFileAuditKey(join(userData, 'audit-key.bin'), 'the operating system key store (safeStorage)', {
    encrypt: (s) => safeStorage.encryptString(s),
    decrypt: (b) => safeStorage.decryptString(b),
  });
}
