/**
 * Enrolling devices with the exchange service: a device is known by its X25519 key (its id is derived from it) and works
 * for a jurisdiction. A request over the network waits for the operator; the operator can also enrol a key directly.
 * Approving wraps the current snapshot's key for the device at once, so it can sync without waiting for a publish.
 */
import { rmSync } from 'node:fs';
import { deviceIdOf } from '../platform/device-keys.js';
import type { DeviceRecord, ExchangeQueries } from '../store/exchange/exchange-queries.js';
import { readManifest, wrapCurrentKeyFor, type PlatformState } from './publish.js';

/** The jurisdiction of the current publication: what a device asking over the network is enrolled for by default. */
export function publishedJurisdiction(pubDir: string): string[] {
  return readManifest(pubDir)?.body.jurisdiction ?? [];
}

const row = (publicKeyDer: Buffer, label: string, jurisdiction: string[], at: string) => ({
  deviceId: deviceIdOf(publicKeyDer),
  publicKey: publicKeyDer.toString('base64'),
  label: label.slice(0, 100),
  jurisdiction,
  at,
});

export function requestEnrolment(q: ExchangeQueries, publicKeyDer: Buffer, label: string, jurisdiction: string[], at: string): Promise<DeviceRecord> {
  return q.requestEnrolment(row(publicKeyDer, label, jurisdiction, at));
}

/** Enrols a key directly (the operator has it), approved at once for a jurisdiction (never an empty one). */
export function enrolDevice(q: ExchangeQueries, publicKeyDer: Buffer, label: string, jurisdiction: string[], at: string): Promise<DeviceRecord> {
  if (jurisdiction.length === 0) throw new Error('a device is enrolled for a jurisdiction: at least one division code');
  return q.enrol(row(publicKeyDer, label, jurisdiction, at));
}

/** Approves a pending request (for `jurisdiction` if given) and wraps the current snapshot key for it when `pubDir` is known. */
export async function approveDevice(q: ExchangeQueries, o: { deviceId: string; at: string; jurisdiction?: string[]; state?: PlatformState; pubDir?: string }): Promise<DeviceRecord> {
  const request = await q.device(o.deviceId);
  // A device approved for no division would see nothing, and what it uploaded would be visible to every device.
  if (request && (o.jurisdiction ?? request.jurisdiction).length === 0) throw new Error(`device ${o.deviceId} was requested without a jurisdiction (nothing published yet): approve it with --jurisdiction`);
  // The key is wrapped before the approval is recorded: a workstation polling /enrol is answered "enrolled" only once
  // its key is there to fetch (the other order raced it to a 404 under load). A failed approval takes the key back.
  const wrapped = request?.status === 'pending' && o.state && o.pubDir ? wrapCurrentKeyFor(o.state, o.pubDir, request) : null;
  try {
    return await q.approve(o.deviceId, o.at, o.jurisdiction);
  } catch (error) {
    if (wrapped) rmSync(wrapped, { force: true });
    throw error;
  }
}
