/** The sync credentials of the benchmarks' one enrolled device: snapshot keys in a map, no sequence kept. */
import type { PlatformState } from '../src-main/data-platform/publish.js';
import { deviceIdOf, type DeviceKeyPair } from '../src-main/platform/device-keys.js';
import type { SyncCredentials } from '../src-main/services/sync/sync-engine.js';

export function benchCredentials(o: { url: string; token: string; state: PlatformState; jurisdiction: string[]; device: DeviceKeyPair; keys: Map<string, Buffer> }): SyncCredentials {
  return {
    url: o.url,
    token: o.token,
    platformPublicKey: o.state.publicKey(),
    jurisdiction: o.jurisdiction,
    device: o.device,
    deviceId: deviceIdOf(o.device.publicKeyDer),
    snapshotKey: (id) => o.keys.get(id),
    saveSnapshotKey: (id, k) => void o.keys.set(id, k),
    highestSequence: () => 0,
    recordSequence: () => undefined,
  };
}
