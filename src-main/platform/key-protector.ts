/**
 * An optional second lock on wrapped keys, bound to this machine and OS account.
 * In Electron this is safeStorage (DPAPI, Keychain, libsecret/kwallet); plain Node has none.
 * A protector that cannot offer a real backend (Linux `basic_text`) must not pretend to: the shell falls back to
 * `noProtection` and says so in system.status.
 */
export interface KeyProtector {
  readonly kind: 'none' | 'safeStorage';
  protect(blob: Buffer): Buffer;
  unprotect(blob: Buffer): Buffer;
}

export const noProtection: KeyProtector = {
  kind: 'none',
  protect: (blob) => blob,
  unprotect: (blob) => blob,
};
