// Plugin secrets sealed by the OS keychain (Electron safeStorage: Keychain on macOS, DPAPI on Windows, libsecret/kwallet
// on Linux) for the desktop app's settings store. Electron-only; never writes a secret anywhere itself.
import { safeStorage } from 'electron';
import type { SecretSealer } from '../plugins/host/settings-store';

/** The keychain sealer, or null when the OS offers no encryption (then the app keeps secrets in a 0600 file and says so). */
export function keychainSealer(): SecretSealer | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  return {
    storage: 'keychain',
    seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
