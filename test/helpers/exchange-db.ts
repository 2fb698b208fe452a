/**
 * The exchange database a test's platform runs on. By default the embedded engine (PGlite), like `platform serve` on a
 * laptop; with AW_TEST_EXCHANGE=postgresql every test that uses `openTestExchange` runs on a real PostgreSQL instead (a
 * throwaway cluster, one per test process), so the same suites prove both engines. `EXCHANGE_ENGINES` lists both, for
 * suites that run each case on each engine in one go.
 *
 * Creating a PGlite database from nothing takes about 4 s (its initdb). Tests start from a migrated, empty one instead,
 * made once and kept in the temporary folder under the schema version and PGlite's version (shared by test processes
 * and runs): as a dump, loaded into memory for the platform fixtures (about 0.8 s), and as a data folder, copied for
 * the tests of the embedded default itself (its folder, its lock file).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXCHANGE_SCHEMA_VERSION } from '../../src-main/store/exchange/exchange-migrations.js';
import { ExchangeStore } from '../../src-main/store/exchange/exchange-store.js';
import { POSTGRES_MISSING, startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';

let cluster: Promise<PostgresCluster | null> | null = null;

/** One cluster per test process, started on first use (its watchdog stops it when the process ends). */
export function sharedPostgres(): Promise<PostgresCluster | null> {
  cluster ??= startPostgresCluster();
  return cluster;
}

/** PGlite's version (its package exports no package.json, so it is read from node_modules). */
const PGLITE_VERSION = (JSON.parse(readFileSync(join(process.cwd(), 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }).version;
const TEMPLATE = join(tmpdir(), `aw-pglite-template-v${EXCHANGE_SCHEMA_VERSION}-${PGLITE_VERSION}`);

let template: Promise<void> | null = null;

/**
 * Makes the template folder and its dump (TEMPLATE, TEMPLATE.tar) unless they are there; renamed into place whole.
 * Vitest's global setup (exchange-template.global.ts) calls it once before the test files run, so that no test's hook
 * pays the 4 s.
 */
export function ensureTemplate(): Promise<void> {
  template ??= (async () => {
    if (existsSync(TEMPLATE) && existsSync(`${TEMPLATE}.tar`)) return;
    const making = mkdtempSync(join(tmpdir(), 'aw-pglite-making-'));
    const store = await ExchangeStore.open({ dataDir: join(making, 'db') });
    const dump = await store.db.dump!();
    await store.close();
    writeFileSync(join(making, 'db.tar'), Buffer.from(await dump.arrayBuffer()));
    for (const [from, to] of [
      [join(making, 'db'), TEMPLATE],
      [join(making, 'db.tar'), `${TEMPLATE}.tar`],
    ] as const) {
      try {
        renameSync(from, to);
      } catch {
        // another process put its copy there first: the same content
      }
    }
    rmSync(making, { recursive: true, force: true });
  })();
  return template;
}

/** An empty migrated embedded database in memory. */
async function openPgliteInMemory(): Promise<ExchangeStore> {
  await ensureTemplate();
  return ExchangeStore.open({ inMemory: true, from: new Blob([readFileSync(`${TEMPLATE}.tar`)]) });
}

/** An empty migrated embedded database in `dir`/exchange-db (the data folder `platform` uses by default). */
export async function openPgliteFolder(dir: string): Promise<ExchangeStore> {
  const dataDir = join(dir, 'exchange-db');
  if (!existsSync(dataDir)) {
    await ensureTemplate();
    cpSync(TEMPLATE, dataDir, { recursive: true });
    rmSync(join(dataDir, 'aw-exchange.lock'), { force: true });
  }
  return ExchangeStore.open({ dataDir });
}

export interface ExchangeEngine {
  name: 'pglite' | 'postgresql';
  /** A fresh, empty exchange database (migrated); null when the engine is not available here (POSTGRES_SKIP_REASON). */
  open(dir: string): Promise<ExchangeStore | null>;
}

export const EXCHANGE_ENGINES: ExchangeEngine[] = [
  { name: 'pglite', open: openPgliteFolder },
  {
    name: 'postgresql',
    async open() {
      const pg = await sharedPostgres();
      return pg ? ExchangeStore.open({ url: await pg.createDatabase() }) : null;
    },
  },
];

export const POSTGRES_SKIP_REASON = POSTGRES_MISSING;

/** The platform fixtures' database: in memory on PGlite, or on PostgreSQL with AW_TEST_EXCHANGE=postgresql. */
export async function openTestExchange(_dir: string): Promise<ExchangeStore> {
  if (process.env.AW_TEST_EXCHANGE !== 'postgresql') return openPgliteInMemory();
  const store = await EXCHANGE_ENGINES[1]!.open(_dir);
  if (!store) throw new Error(`AW_TEST_EXCHANGE=postgresql: ${POSTGRES_MISSING}`);
  return store;
}
