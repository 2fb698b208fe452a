/**
 * A throwaway PostgreSQL cluster for tests: initdb + pg_ctl in a temporary folder, listening on a free loopback port,
 * stopped and deleted afterwards. Debian's `postgresql` package (installed by .ci/run) provides the binaries.
 *
 * PostgreSQL refuses to run as root; when the tests run as root (CI on a fresh machine), the cluster's folder is given
 * to the `postgres` system user the package creates and the server runs as that user through runuser.
 *
 * Outside CI, without the binaries, `startPostgresCluster` answers null and the caller skips with `POSTGRES_MISSING`.
 * In CI (CI=1, set by .ci/run) a missing PostgreSQL is a failure, never a silent skip.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const POSTGRES_MISSING = 'PostgreSQL binaries (initdb, pg_ctl) not found: skipping the PostgreSQL half (apt-get install postgresql, or run .ci/run)';

export interface PostgresCluster {
  /** A fresh, empty database on the cluster; returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server abruptly (like a crash: no checkpoint, connections cut) and starts it again on the same port. */
  restart(): void;
  /** The two halves of `restart`, for a test that keeps running while the server is down. */
  crash(): void;
  start(): void;
  stop(): void;
}

/** The folder holding initdb and pg_ctl: $PG_BIN, else Debian's newest /usr/lib/postgresql/<v>/bin. */
function binaries(): string | null {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

let databases = 0;

export async function startPostgresCluster(): Promise<PostgresCluster | null> {
  const bin = binaries();
  if (!bin) {
    if (process.env.CI) throw new Error(`CI: ${POSTGRES_MISSING}`);
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'aw-pg-'));
  const data = join(dir, 'data');
  // As root, run everything as the package's `postgres` user (the server refuses root).
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  const run = (tool: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { stdio: 'pipe' }) : execFileSync(join(bin, tool), args, { stdio: 'pipe' });
  const port = await freePort();
  // Fast and disposable: no fsync, trust on loopback only, a socket folder of its own (not /var/run/postgresql).
  run('initdb', ['-D', data, '-U', 'aw', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const start = () => run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`, 'start']);
  start();
  const admin = `postgresql://aw@127.0.0.1:${port}/postgres`;
  // A watchdog stops the cluster and deletes its folder once this process is gone, however it ends: test workers are
  // often terminated without running exit handlers.
  const stopCommand = [...(asRoot ? ['runuser', '-u', 'postgres', '--'] : []), join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'];
  const quoted = (args: string[]) => args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${quoted(stopCommand)} >/dev/null 2>&1; rm -rf ${quoted([dir])}`], {
    detached: true,
    stdio: 'ignore',
  }).unref();
  return {
    async createDatabase() {
      const name = `aw_test_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgresql://aw@127.0.0.1:${port}/${name}`;
    },
    restart() {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      start();
    },
    crash() {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    },
    start,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
