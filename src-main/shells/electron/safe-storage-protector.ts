/**
 * safeStorage as a second lock on wrapped keys. On Linux, `basic_text` means "no keyring, a hard-coded key":
 * that is no protection, so it is refused and the account keys stay protected by the password alone.
 */
import type { SafeStorage } from 'electron';
import { noProtection, type KeyProtector } from '../../platform/key-protector.js';

export function chooseKeyProtector(safeStorage: SafeStorage, platform: NodeJS.Platform): KeyProtector {
  if (!safeStorage.isEncryptionAvailable()) return noProtection;
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return noProtection;
  return {
    kind: 'safeStorage',
    protect: (blob) => safeStorage.encryptString(blob.toString('base64')),
    unprotect: (blob) => Buffer.from(safeStorage.decryptString(blob), 'base64'),
  };
}
