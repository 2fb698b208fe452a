/**
 * `npm run platform -- <command>`: the data platform's publishing side, for tests, demos and small deployments.
 *
 *   build --feeds DIR --out FILE --as-of D --jurisdiction P,P [--snapshot-id ID] [--key-file F] [--report FILE]
 */
import { parseArgs } from 'node:util';
import { buildSnapshot } from '../../data-platform/build.js';
import { FeedRejectedError } from '../../data-platform/feed-reader.js';
import { loadOrCreateKey } from '../cli/generate-command.js';
import { writeFileSync } from 'node:fs';

process.umask(0o077);

const USAGE = `usage:
  npm run platform -- build --feeds DIR --out FILE --as-of YYYY-MM-DD --jurisdiction 320111,320116
                            [--snapshot-id ID] [--key-file FILE (default OUT.key)] [--report FILE (default OUT.quality.json)]`;

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
    },
  });
  if (positionals[0] === 'build') {
    const { feeds, out } = values;
    const asOf = values['as-of'];
    if (!feeds || !out || !asOf || !values.jurisdiction) throw new Error('build needs --feeds, --out, --as-of and --jurisdiction');
    const started = Date.now();
    const report = await buildSnapshot({
      feedsDir: feeds,
      outFile: out,
      key: loadOrCreateKey(values['key-file'] ?? `${out}.key`),
      snapshotId: values['snapshot-id'] ?? `snap-${asOf}`,
      asOf,
      jurisdiction: values.jurisdiction.split(','),
    });
    const reportFile = values.report ?? `${out}.quality.json`;
    writeFileSync(reportFile, JSON.stringify(report, null, 2) + '\n');
    const rows = report.files.reduce((n, f) => n + f.rows, 0);
    const seconds = (Date.now() - started) / 1000;
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
