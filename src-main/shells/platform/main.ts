/**
 * `npm run platform -- <command>`: the data platform's publishing side, for tests, demos and small deployments.
 *
 *   build   (--feeds DIR | --from postgresql://…) --out FILE --as-of D --jurisdiction P,P [--snapshot-id ID] [--key-file F] [--report FILE]
 *   init    --state DIR                                   create the platform's keys and the exchange database
 *   enrol   --state DIR [--pub DIR] --device-key B64 | --approve ID   enrol a device key, or approve a request
 *   revoke  --state DIR --device ID [--pub DIR]           refuse a device from now on
 *   devices --state DIR [--stale-days N]                  each device's last sync and anchor
 *   publish --state DIR --pub DIR --snapshot FILE [--key-file F]
 *   serve   --state DIR --pub DIR --token T [--port N] [--host A]   loopback by default (nginx in front)
 *   escrow  --state DIR --set DIR --reason TEXT           a backup set's recovery code (logged)
 *   escrow-log --state DIR                                the log of recovery codes handed out
 *   refusals --state DIR [--since T]                      refused requests by device, kind and reason
 * Every command that touches the exchange database takes --database postgresql://… (default: the embedded database
 * in STATE/exchange-db); `create-db --database URL` creates a PostgreSQL database and its schema.
 */
import { parseArgs } from 'node:util';
import { buildSnapshot } from '../../data-platform/build.js';
import { PlatformState, publishSnapshot } from '../../data-platform/publish.js';
import { startPlatformServer } from '../../data-platform/serve.js';
import { describeExchangeDatabase, ExchangeStore } from '../../store/exchange/exchange-store.js';
import { createDatabase, devicesCommand, enrolCommand, escrowLogCommand, exchangeDatabase, refusalsCommand, revokeCommand, withExchange } from './exchange-commands.js';
import { FeedRejectedError } from '../../platform/feed-reader.js';
import { loadKey, loadOrCreateKey } from '../cli/key-file.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escrowOpen, recoveryCodeOf, type BackupSetFile } from '../../platform/backup-pieces.js';
import { isoTime, systemClock } from '../../platform/clock.js';

process.umask(0o077);

/** The platform's one clock, handed to everything below that stamps a time. */
const clock = systemClock;

const USAGE = `usage:
  npm run platform -- build (--feeds DIR | --from postgresql://USER@HOST/NAME) --out FILE --as-of YYYY-MM-DD --jurisdiction 320111,320116
                            [--snapshot-id ID] [--key-file FILE (default OUT.key)] [--report FILE (default OUT.quality.json)]
  npm run platform -- init --state DIR
  npm run platform -- create-db --database postgresql://USER@HOST/NAME
  npm run platform -- enrol --state DIR [--pub DIR] (--device-key BASE64 [--label TEXT] [--jurisdiction P,P] | --approve DEVICE_ID [--jurisdiction P,P])
                            (with neither: list pending enrolment requests)
  npm run platform -- revoke --state DIR --device DEVICE_ID [--pub DIR]
  npm run platform -- devices --state DIR [--stale-days N]
  npm run platform -- publish --state DIR --pub DIR --snapshot FILE [--key-file FILE (default SNAPSHOT.key)]
  npm run platform -- serve --state DIR --pub DIR --token TOKEN [--port N] [--host ADDRESS (default 127.0.0.1)] [--auto-approve (demos only)]
  npm run platform -- escrow --state DIR --set BACKUP_SET_DIR --reason TEXT   (prints the set's recovery code; logged)
  npm run platform -- escrow-log --state DIR
  npm run platform -- refusals --state DIR [--since 2024-07-01T00:00:00Z (default: the last day)]
  (every command on the exchange database: [--database postgresql://…], default the embedded one in STATE/exchange-db)`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      feeds: { type: 'string' },
      from: { type: 'string' },
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
      database: { type: 'string' },
      host: { type: 'string' },
      device: { type: 'string' },
      'stale-days': { type: 'string' },
      since: { type: 'string' },
    },
  });
  const command = positionals[0];
  const state = values.state ? new PlatformState(values.state) : null;
  if (command === 'create-db' && values.database) {
    console.log(`exchange database ready: ${await createDatabase({ url: values.database })}`);
    return 0;
  }
  if (command === 'build') {
    const { feeds, from, out } = values;
    const asOf = values['as-of'];
    if (!(feeds || from) || (feeds && from) || !out || !asOf || !values.jurisdiction) throw new Error('build needs --feeds DIR or --from postgresql://…, and --out, --as-of and --jurisdiction');
    const started = performance.now();
    const report = await buildSnapshot({
      feedsDir: feeds,
      // The feed tables of the platform's own database, read in one consistent transaction (store/feed-database/).
      database: from,
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
  if (!state) {
    console.error(USAGE);
    return 64;
  }
  const where = exchangeDatabase(state.dir, values.database);
  if (command === 'init') {
    state.init();
    await withExchange(where, async () => undefined);
    console.log(`platform keys ready in ${values.state}; exchange database ready: ${describeExchangeDatabase(where)}`);
    return 0;
  }
  if (command === 'enrol') {
    state.init();
    return enrolCommand({ state, where, clock, pub: values.pub, approve: values.approve, deviceKey: values['device-key'], label: values.label ?? '', jurisdiction: values.jurisdiction });
  }
  if (command === 'revoke' && values.device) return revokeCommand({ where, clock, deviceId: values.device, pub: values.pub });
  if (command === 'devices') return devicesCommand({ where, clock, staleDays: values['stale-days'] === undefined ? undefined : Number(values['stale-days']) });
  if (command === 'escrow-log') return escrowLogCommand({ where });
  if (command === 'refusals') return refusalsCommand({ where, clock, since: values.since });
  if (command === 'publish' && values.pub && values.snapshot) {
    const snapshotKey = loadKey(values['key-file'] ?? `${values.snapshot}.key`);
    const result = await withExchange(where, (exchange) => publishSnapshot({ state, exchange, pubDir: values.pub!, snapshotFile: values.snapshot!, snapshotKey, clock }));
    console.log(`published ${result.manifest.snapshotId} (as of ${result.manifest.asOf}) in ${result.seconds.toFixed(1)} s; deltas: ${result.manifest.deltas.length}`);
    return 0;
  }
  if (command === 'serve' && values.pub && values.token?.length) {
    state.init();
    const exchange = await ExchangeStore.open(where);
    const server = await startPlatformServer({
      pubDir: values.pub,
      state,
      exchange,
      tokens: values.token,
      port: values.port ? Number(values.port) : undefined,
      host: values.host,
      autoApprove: values['auto-approve'] as boolean,
      clock,
      // One JSON line per request on stderr (stdout says where it serves): route, status, time, device; no bodies.
      log: (line) => console.error(JSON.stringify(line)),
    });
    console.log(`serving ${values.pub} at ${server.url} (${describeExchangeDatabase(where)})`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    await exchange.close();
    return 0;
  }
  if (command === 'escrow' && values.set && values.reason?.trim()) {
    const set = JSON.parse(readFileSync(join(values.set, 'set.json'), 'utf8')) as BackupSetFile;
    const key = escrowOpen(set, state.escrowKeyPair());
    if (!key) {
      console.error(`${values.set}: this set's key is not wrapped for this platform's escrow key (or set.json was altered)`);
      return 2;
    }
    const reason = values.reason.trim();
    // Logged before the code is shown: a code handed out is always in the log.
    await withExchange(where, (x) => x.logEscrow({ setId: set.setId, username: set.username, reason, at: isoTime(clock) }));
    console.log(`recovery code for ${set.username}'s backup set ${set.setId}:`);
    console.log(recoveryCodeOf(key));
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
