/**
 * The exchange service's state (docs/deployment.md): devices and enrolment requests, the upload journal, audit anchors
 * with their entries, the case feed, the member roster, the export register, refusals and the escrow log.
 *
 * One implementation, two engines: `{ dataDir }` opens the embedded PGlite database in a folder (one process, nothing to
 * install); `{ url: 'postgresql://…' }` a pooled PostgreSQL server that N service nodes share. Opening runs the
 * migrations (exchange-migrations.ts). Nothing here is cached in memory: every node reads what another node wrote.
 */
import { migrateExchange } from './exchange-migrations.js';
import { ExchangeQueries } from './exchange-queries.js';
import { openPglite, openPgliteInMemory, openPostgres, type SqlClient } from './sql-client.js';

/** A data folder (embedded PGlite), a PostgreSQL server, or — tests and demos — an embedded database in memory. */
export type ExchangeDatabase = { dataDir: string } | { url: string; poolSize?: number } | { inMemory: true; from?: Blob };

export class ExchangeStore extends ExchangeQueries {
  private constructor(readonly db: SqlClient) {
    super(db);
  }

  static async open(where: ExchangeDatabase): Promise<ExchangeStore> {
    const db = 'url' in where ? openPostgres(where.url, { poolSize: where.poolSize }) : 'inMemory' in where ? await openPgliteInMemory(where.from) : await openPglite(where.dataDir);
    try {
      await migrateExchange(db);
    } catch (error) {
      await db.close();
      throw error;
    }
    return new ExchangeStore(db);
  }

  get engine(): SqlClient['engine'] {
    return this.db.engine;
  }

  /** Runs `fn` in one transaction: everything it wrote is committed together, or nothing is. */
  transaction<R>(fn: (q: ExchangeQueries) => Promise<R>): Promise<R> {
    return this.db.transaction((tx) => fn(new ExchangeQueries(tx)));
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** Where the database is, in words for logs and errors (a server URL without its password). */
export function describeExchangeDatabase(where: ExchangeDatabase): string {
  if ('inMemory' in where) return 'embedded database in memory';
  if (!('url' in where)) return `embedded database in ${where.dataDir}`;
  try {
    const u = new URL(where.url);
    u.password = '';
    return `PostgreSQL ${u.toString()}`;
  } catch {
    return 'PostgreSQL (unparsable URL)';
  }
}
