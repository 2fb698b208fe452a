/**
 * Who is asking the exchange service, and how often (serve.ts). A device is approved, pending or revoked in the exchange
 * database, read at every request so that an approval or a revocation on one node holds on all of them at once. Uploads
 * carry the device's MAC over the body; reads carry the device's token (platform/upload-auth.ts). Each authenticated
 * device may make `requestsPerMinute` requests a minute, counted in the database for all nodes together.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isoTime, type Clock } from '../platform/clock.js';
import { DEVICE_ID_HEADER, DEVICE_TOKEN_HEADER, uploadMacKey, verifyDeviceToken } from '../platform/upload-auth.js';
import type { DeviceRecord } from '../store/exchange/exchange-queries.js';
import type { ExchangeStore } from '../store/exchange/exchange-store.js';
import type { PlatformState } from './publish.js';

export const DEVICE_ID = /^[0-9a-f]{32}$/;

/** A refused request, as serve.ts answers and logs it. */
export interface Refusal {
  kind: string;
  status: number;
  deviceId?: string | null;
  error: string;
}

export function deviceAccess(o: {
  exchange: ExchangeStore;
  state: PlatformState;
  clock: Clock;
  requestsPerMinute: number;
  /** Answers and logs a refusal. */
  refuse: (res: ServerResponse, r: Refusal) => Promise<void>;
}) {
  const { exchange, clock, refuse, requestsPerMinute: perMinute } = o;
  // The platform's upload key, read once: it does not change while the service runs (every node has the same file).
  const uploadAuthKey = o.state.uploadAuthKeyPair().privateKeyDer;
  /**
   * Each device's MAC key (X25519 + HKDF), derived once per device key and kept: it follows from keys that never change,
   * so it is a cache, not state — a node without it derives it again. Whether the device may use it is read every time.
   */
  const macKeys = new Map<string, Buffer>();
  const macKeyOf = (device: DeviceRecord): Buffer => {
    const cacheKey = `${device.deviceId}:${device.publicKey}`;
    let key = macKeys.get(cacheKey);
    if (!key) {
      if (macKeys.size >= 100_000) macKeys.clear();
      key = uploadMacKey(uploadAuthKey, Buffer.from(device.publicKey, 'base64'), device.deviceId);
      macKeys.set(cacheKey, key);
    }
    return key;
  };

  /** The approved device behind an id, with the key its MAC and token are checked with; a refusal for anyone else. */
  const approvedDevice = async (deviceId: string): Promise<{ device: DeviceRecord; key: Buffer } | { refusal: string }> => {
    const device = await exchange.device(deviceId);
    if (!device || device.status === 'pending') return { refusal: 'DEVICE_AUTH: this request is not authenticated by an enrolled device it names' };
    if (device.status === 'revoked') return { refusal: 'DEVICE_REVOKED: this device was revoked by the operator' };
    return { device, key: macKeyOf(device) };
  };

  /**
   * Counts an authenticated device's request; false (answered 429 with Retry-After) over the limit. Only the first
   * refusal of a minute is logged, so a runaway device fills the log with one line a minute, not thousands. The first
   * request of a minute also records when the device was last heard from (to the minute: one write, not one per request).
   */
  const withinRate = async (res: ServerResponse, deviceId: string, kind: string): Promise<boolean> => {
    const now = isoTime(clock);
    const count = await exchange.countRequest(deviceId, now.slice(0, 16));
    if (count === 1) await exchange.seen(deviceId, now);
    if (count <= perMinute) return true;
    const error = `RATE_LIMITED: more than ${perMinute} requests in a minute from this device; try again in a minute`;
    if (count === perMinute + 1) await exchange.logRefusal({ at: isoTime(clock), kind, status: 429, deviceId, error });
    res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '60', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ error }));
    return false;
  };

  /** For the reads: the device named by X-Device-Id, proven by X-Device-Token; refused (and logged) otherwise. */
  const readingDevice = async (req: IncomingMessage, res: ServerResponse, kind: string): Promise<DeviceRecord | null> => {
    const id = req.headers[DEVICE_ID_HEADER];
    const token = req.headers[DEVICE_TOKEN_HEADER];
    const deviceId = typeof id === 'string' && DEVICE_ID.test(id) ? id : null;
    const found = deviceId ? await approvedDevice(deviceId) : { refusal: `DEVICE_AUTH: ${kind} is answered to an enrolled device that names itself (${DEVICE_ID_HEADER}, ${DEVICE_TOKEN_HEADER})` };
    if ('device' in found && verifyDeviceToken(found.key, typeof token === 'string' ? token : undefined)) {
      return (await withinRate(res, found.device.deviceId, kind)) ? found.device : null;
    }
    await refuse(res, { kind, status: 401, deviceId, error: 'refusal' in found ? found.refusal : 'DEVICE_AUTH: wrong device token' });
    return null;
  };

  return { approvedDevice, withinRate, readingDevice };
}
