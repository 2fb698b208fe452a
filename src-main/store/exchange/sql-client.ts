/**
 * One small SQL interface over the two engines the exchange service runs on, so that its queries are written once:
 *
 *   PGlite   (@electric-sql/pglite): PostgreSQL compiled to WASM, in a data folder — the embedded default, nothing to
 *            install. One process only: a lock file refuses a second opener (see `openPglite`).
 *   pg       (node-postgres, pooled): a real PostgreSQL server (`--database postgresql://…`), shared by N service nodes.
 *
 * Both speak the same dialect and the same $1, $2 placeholders. Differences the callers must not see are smoothed here:
 * node-postgres returns int8 as a string, PGlite as a number (callers convert with Number()).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** Runs statements: the pool, or one connection inside a transaction. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlClient extends Sql {
  readonly engine: 'pglite' | 'postgresql';
  /** Runs `fn` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<R>(fn: (tx: Sql) => Promise<R>): Promise<R>;
  /** The embedded engine only: the whole database as a tarball (to start in-memory copies from it). */
  dump?(): Promise<Blob>;
  close(): Promise<void>;
}

export class DatabaseInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `the embedded exchange database in ${dir} is open in process ${pid} (a running \`platform serve\`?). ` +
        'Stop that process first, or run the service on PostgreSQL (--database postgresql://…), which several processes share.',
    );
    this.name = 'DatabaseInUseError';
  }
}

const LOCK_FILE = 'aw-exchange.lock';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Opens (creating on first use) the embedded database in `dir`. PGlite is one PostgreSQL backend inside this process:
 * two processes writing the same folder would corrupt it, so the folder carries a lock file with the owner's pid; a
 * lock whose process is gone (killed, crashed) is taken over.
 */
export async function openPglite(dir: string): Promise<SqlClient> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lock = join(dir, LOCK_FILE);
  if (existsSync(lock)) {
    const owner = Number(readFileSync(lock, 'utf8'));
    if (owner !== process.pid && Number.isInteger(owner) && owner > 0 && processAlive(owner)) throw new DatabaseInUseError(dir, owner);
  }
  writeFileSync(lock, String(process.pid), { mode: 0o600 });
  return pgliteClient(await PGlite.create(join(dir, 'pgdata')), () => rmSync(lock, { force: true }));
}

/**
 * An embedded database in memory, gone when closed: for tests and throwaway demos. `from` is a dump of another
 * database (PGlite's dumpDataDir) to start from, e.g. an empty migrated one, which loads faster than creating anew.
 */
export async function openPgliteInMemory(from?: Blob): Promise<SqlClient> {
  return pgliteClient(await PGlite.create(from ? { loadDataDir: from } : {}), () => undefined);
}

function pgliteClient(db: PGlite, closed: () => void): SqlClient {
  // PGlite runs one statement at a time; a transaction holds it until it ends, so `transaction` needs no pool.
  const run = (runner: Pick<PGlite, 'query' | 'exec'>): Sql => ({
    query: async <T>(text: string, params: readonly unknown[] = []) => (await runner.query<T>(text, params as unknown[])).rows,
    exec: async (script) => void (await runner.exec(script)),
  });
  return {
    engine: 'pglite',
    ...run(db),
    transaction: (fn) => db.transaction((tx) => fn(run(tx))),
    dump: () => db.dumpDataDir('none') as Promise<Blob>,
    async close() {
      await db.close();
      closed();
    },
  };
}

/** A pooled client of a PostgreSQL server. */
export function openPostgres(url: string, o: { poolSize?: number } = {}): SqlClient {
  const pool = new pg.Pool({ connectionString: url, max: o.poolSize ?? 10 });
  // An idle connection the server dropped (a restart) is discarded by the pool; without a listener it would crash us.
  pool.on('error', () => undefined);
  const run = (runner: pg.Pool | pg.PoolClient): Sql => ({
    query: async <T>(text: string, params: readonly unknown[] = []) => (await runner.query(text, params as unknown[])).rows as T[],
    // Without parameters node-postgres uses the simple protocol, which takes several statements at once.
    exec: async (script) => void (await runner.query(script)),
  });
  return {
    engine: 'postgresql',
    ...run(pool),
    async transaction(fn) {
      const connection = await pool.connect();
      let broken: Error | undefined;
      // A checked-out connection the server drops (a restart) emits 'error' on itself, not on the pool: without a
      // listener the whole node process would die. The failing query rejects as well; the connection is not reused.
      const dropped = (e: Error) => (broken = e);
      connection.on('error', dropped);
      try {
        await connection.query('BEGIN');
        const result = await fn(run(connection));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        // A connection whose ROLLBACK fails (the server went away) is dropped from the pool, not handed out again.
        await connection.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw error;
      } finally {
        connection.off('error', dropped);
        connection.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
