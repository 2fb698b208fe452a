/**
 * Uploads authenticated per device: the bearer token says "a workstation of this platform", not which one, so a
 * colleague holding it could post a head for someone else's device. Each upload that names a device therefore carries
 * an HMAC under a key only that device and the platform can derive — static X25519 between the device key and the
 * platform's upload-authentication key (published in the signed manifest), through HKDF bound to the device id.
 */
import { createHmac, createPrivateKey, createPublicKey, diffieHellman, hkdfSync, timingSafeEqual } from 'node:crypto';

export const DEVICE_MAC_HEADER = 'x-device-mac';

export function uploadMacKey(myPrivateKeyDer: Buffer, theirPublicKeyDer: Buffer, deviceId: string): Buffer {
  const shared = diffieHellman({
    privateKey: createPrivateKey({ key: myPrivateKeyDer, format: 'der', type: 'pkcs8' }),
    publicKey: createPublicKey({ key: theirPublicKeyDer, format: 'der', type: 'spki' }),
  });
  return Buffer.from(hkdfSync('sha256', shared, Buffer.from(deviceId), 'aw-upload-auth:v1', 32));
}

export function uploadMac(key: Buffer, body: Buffer | string): string {
  return createHmac('sha256', key).update(body).digest('base64');
}

export function verifyUploadMac(key: Buffer, body: Buffer, mac: string | undefined): boolean {
  if (!mac) return false;
  const expected = createHmac('sha256', key).update(body).digest();
  const given = Buffer.from(mac, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The device's token for reads (GET /case-events, /members, /audit-head), sent with its id: derived from the same key
 * as the upload MAC, so it is per device, needs no extra exchange at enrolment, and dies with the device's approval
 * (`platform revoke`). Reads carry no body to MAC; the token says which device asks, and so which jurisdiction it sees.
 */
export const DEVICE_ID_HEADER = 'x-device-id';
export const DEVICE_TOKEN_HEADER = 'x-device-token';

export function deviceToken(macKey: Buffer): string {
  return createHmac('sha256', macKey).update('aw-device-token:v1').digest('base64');
}

export function verifyDeviceToken(macKey: Buffer, token: string | undefined): boolean {
  if (!token) return false;
  const expected = Buffer.from(deviceToken(macKey));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
