/**
 * The exchange database a test's platform runs on. By default the embedded engine (PGlite in the test's folder), like
 * `platform serve` on a laptop; with AW_TEST_EXCHANGE=postgresql every test that uses this helper runs on a real
 * PostgreSQL instead (a throwaway cluster, one per test file), so the same suite proves both engines.
 * `EXCHANGE_ENGINES` lists both for suites that run each case on each engine in one go.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EXCHANGE_SCHEMA_VERSION } from '../../src-main/store/exchange/exchange-migrations.js';
import { ExchangeStore } from '../../src-main/store/exchange/exchange-store.js';
import { POSTGRES_MISSING, startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';

let cluster: Promise<PostgresCluster | null> | null = null;

/** One cluster per test process, started on first use (its watchdog stops it when the process ends). */
export function sharedPostgres(): Promise<PostgresCluster | null> {
  cluster ??= startPostgresCluster();
  return cluster;
}

export interface ExchangeEngine {
  name: 'pglite' | 'postgresql';
  /** A fresh, empty exchange database (migrated); null when the engine is not available here (see `skipReason`). */
  open(dir: string): Promise<ExchangeStore | null>;
}

let template: Promise<string> | null = null;
/** PGlite's version (its package exports no package.json, so it is read from node_modules). */
const PGLITE_VERSION = (JSON.parse(readFileSync(join(process.cwd(), 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }).version;

/**
 * A migrated, empty embedded database, copied for each test: creating one from nothing takes PGlite about 4 s (its
 * initdb), a copy opens in about 0.5 s. Kept in the temporary folder under the schema version and PGlite's version, so
 * test processes and runs share it; made in a folder of its own and renamed into place, so a reader never sees half.
 */
function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const final = join(tmpdir(), `aw-pglite-template-v${EXCHANGE_SCHEMA_VERSION}-${PGLITE_VERSION}`);
    if (existsSync(final)) return final;
    const dir = join(mkdtempSync(join(tmpdir(), 'aw-pglite-making-')), 'db');
    await (await ExchangeStore.open({ dataDir: dir })).close();
    try {
      renameSync(dir, final);
    } catch {
      // another process put its template there first: same content
    }
    rmSync(dirname(dir), { recursive: true, force: true });
    return final;
  })();
  return template;
}

async function openPgliteCopy(dir: string): Promise<ExchangeStore> {
  const dataDir = join(dir, 'exchange-db');
  if (!existsSync(dataDir)) cpSync(await pgliteTemplate(), dataDir, { recursive: true });
  return ExchangeStore.open({ dataDir });
}

export const EXCHANGE_ENGINES: ExchangeEngine[] = [
  { name: 'pglite', open: openPgliteCopy },
  {
    name: 'postgresql',
    async open() {
      const pg = await sharedPostgres();
      return pg ? ExchangeStore.open({ url: await pg.createDatabase() }) : null;
    },
  },
];

export const POSTGRES_SKIP_REASON = POSTGRES_MISSING;

/** The engine this test run uses for platforms that are not about the engine (AW_TEST_EXCHANGE). */
export async function openTestExchange(dir: string): Promise<ExchangeStore> {
  const wanted = process.env.AW_TEST_EXCHANGE === 'postgresql' ? EXCHANGE_ENGINES[1]! : EXCHANGE_ENGINES[0]!;
  const store = await wanted.open(dir);
  if (!store) throw new Error(`AW_TEST_EXCHANGE=postgresql: ${POSTGRES_MISSING}`);
  return store;
}
