/**
 * `npm run platform -- <command>`: the data platform's publishing side, for tests, demos and small deployments.
 *
 *   build   --feeds DIR --out FILE --as-of D --jurisdiction P,P [--snapshot-id ID] [--key-file F] [--report FILE]
 *   init    --state DIR                                   create the platform signing key
 *   enrol   --state DIR [--pub DIR] --device-key B64 | --approve ID   enrol a device key, or approve a request
 *   publish --state DIR --pub DIR --snapshot FILE [--key-file F]
 *   serve   --state DIR --pub DIR --token T [--port N]    loopback only
 *   escrow  --state DIR --set DIR --reason TEXT           a backup set's recovery code (logged)
 */
import { parseArgs } from 'node:util';
import { buildSnapshot } from '../../data-platform/build.js';
import { PlatformState, publishSnapshot, wrapCurrentKeyFor } from '../../data-platform/publish.js';
import { startPlatformServer } from '../../data-platform/serve.js';
import { FeedRejectedError } from '../../platform/feed-reader.js';
import { loadKey, loadOrCreateKey } from '../cli/generate-command.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escrowOpen, recoveryCodeOf, type BackupSetFile } from '../../platform/backup-pieces.js';
import { isoTime, systemClock } from '../../platform/clock.js';

process.umask(0o077);

/** The platform's one clock, handed to everything below that stamps a time. */
const clock = systemClock;

const USAGE = `usage:
  npm run platform -- build --feeds DIR --out FILE --as-of YYYY-MM-DD --jurisdiction 320111,320116
                            [--snapshot-id ID] [--key-file FILE (default OUT.key)] [--report FILE (default OUT.quality.json)]
  npm run platform -- init --state DIR
  npm run platform -- enrol --state DIR [--pub DIR] (--device-key BASE64 [--label TEXT] | --approve DEVICE_ID)
                            (with neither: list pending enrolment requests)
  npm run platform -- publish --state DIR --pub DIR --snapshot FILE [--key-file FILE (default SNAPSHOT.key)]
  npm run platform -- serve --state DIR --pub DIR --token TOKEN [--port N] [--auto-approve (demos only)]
  npm run platform -- escrow --state DIR --set BACKUP_SET_DIR --reason TEXT   (prints the set's recovery code; logged)`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      feeds: { type: 'string' },
      out: { type: 'string' },
      'as-of': { type: 'string' },
      jurisdiction: { type: 'string' },
      'snapshot-id': { type: 'string' },
      'key-file': { type: 'string' },
      report: { type: 'string' },
      state: { type: 'string' },
      pub: { type: 'string' },
      snapshot: { type: 'string' },
      'device-key': { type: 'string' },
      label: { type: 'string', default: '' },
      token: { type: 'string', multiple: true },
      port: { type: 'string' },
      approve: { type: 'string' },
      set: { type: 'string' },
      reason: { type: 'string' },
      'auto-approve': { type: 'boolean', default: false },
    },
  });
  const command = positionals[0];
  const state = values.state ? new PlatformState(values.state) : null;
  if (command === 'init' && state) {
    state.init();
    console.log(`platform key ready in ${values.state}`);
    return 0;
  }
  if (command === 'enrol' && state && values.approve) {
    const device = state.approve(values.approve, isoTime(clock));
    if (values.pub) wrapCurrentKeyFor(state, values.pub, device);
    console.log(`approved device ${device.deviceId} (${device.label})`);
    return 0;
  }
  if (command === 'enrol' && state && values['device-key']) {
    state.init();
    const device = state.enrol(Buffer.from(values['device-key'], 'base64'), values.label ?? '', isoTime(clock));
    if (values.pub) wrapCurrentKeyFor(state, values.pub, device);
    console.log(`enrolled device ${device.deviceId}`);
    return 0;
  }
  if (command === 'enrol' && state) {
    for (const d of state.pendingEnrolments()) console.log(`pending: ${d.deviceId}  ${d.label}  ${d.enrolledAt}`);
    return 0;
  }
  if (command === 'publish' && state && values.pub && values.snapshot) {
    const result = publishSnapshot({ state, pubDir: values.pub, snapshotFile: values.snapshot, snapshotKey: loadKey(values['key-file'] ?? `${values.snapshot}.key`), clock });
    console.log(`published ${result.manifest.snapshotId} (as of ${result.manifest.asOf}) in ${result.seconds.toFixed(1)} s; deltas: ${result.manifest.deltas.length}`);
    return 0;
  }
  if (command === 'serve' && state && values.pub && values.token?.length) {
    state.init();
    const server = await startPlatformServer({
      pubDir: values.pub,
      state,
      tokens: values.token,
      port: values.port ? Number(values.port) : undefined,
      autoApprove: values['auto-approve'] as boolean,
      clock,
    });
    console.log(`serving ${values.pub} at ${server.url}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    return 0;
  }
  if (command === 'escrow' && state && values.set && values.reason?.trim()) {
    const set = JSON.parse(readFileSync(join(values.set, 'set.json'), 'utf8')) as BackupSetFile;
    const key = escrowOpen(set, state.escrowKeyPair());
    if (!key) {
      console.error(`${values.set}: this set's key is not wrapped for this platform's escrow key (or set.json was altered)`);
      return 2;
    }
    state.logEscrow({ setId: set.setId, username: set.username, reason: values.reason.trim(), at: isoTime(clock) });
    console.log(`recovery code for ${set.username}'s backup set ${set.setId}:`);
    console.log(recoveryCodeOf(key));
    return 0;
  }
  if (command === 'build') {
    const { feeds, out } = values;
    const asOf = values['as-of'];
    if (!feeds || !out || !asOf || !values.jurisdiction) throw new Error('build needs --feeds, --out, --as-of and --jurisdiction');
    const started = performance.now();
    const report = await buildSnapshot({
      feedsDir: feeds,
      outFile: out,
      key: loadOrCreateKey(values['key-file'] ?? `${out}.key`),
      snapshotId: values['snapshot-id'] ?? `snap-${asOf}`,
      asOf,
      jurisdiction: values.jurisdiction.split(','),
      clock,
    });
    const reportFile = values.report ?? `${out}.quality.json`;
    writeFileSync(reportFile, JSON.stringify(report, null, 2) + '\n');
    const rows = report.files.reduce((n, f) => n + f.rows, 0);
    const seconds = (performance.now() - started) / 1000;
    console.log(`built ${out}: ${rows} rows read, ${report.rejectionCount} rejected, in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s)`);
    for (const [rule, c] of Object.entries(report.checks)) console.log(`  ${rule}: ${c.count}`);
    console.log(`quality report: ${reportFile}`);
    return 0;
  }
  console.error(USAGE);
  return 64;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${error instanceof FeedRejectedError || error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
