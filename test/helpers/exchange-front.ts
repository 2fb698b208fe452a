/**
 * The exchange service as docs/deployment.md deploys it, for tests and the load bench: `platform serve` node
 * processes on one database, and nginx in front terminating TLS (HTTP/2) with a certificate from a throwaway CA,
 * serving the publication's files itself. nginx runs from a generated configuration in a temporary prefix.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PlatformState, publishSnapshot } from '../../src-main/data-platform/publish.js';
import { ExchangeStore } from '../../src-main/store/exchange/exchange-store.js';
import { makeSnapshot } from './platform-fixture.js';
import type { PostgresCluster } from './postgres-cluster.js';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => spawnSync(p, ['-v']).status === 0);
export const OPENSSL = spawnSync('openssl', ['version']).status === 0;

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ServeNode {
  child: ChildProcess;
  url: string;
  port: number;
}

/**
 * A `platform serve` process on `database`; resolves once it listens. `port` reuses a port (a node restarted by its
 * supervisor, as systemd's Restart=always would); by default the process picks a free one.
 */
export function startServeNode(o: { stateDir: string; pubDir: string; token: string; database: string; port?: number; logFile?: string }): Promise<ServeNode> {
  const args = ['--import', 'tsx', 'src-main/shells/platform/main.ts', 'serve', '--state', o.stateDir, '--pub', o.pubDir, '--token', o.token, '--database', o.database];
  if (o.port) args.push('--port', String(o.port));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // The request log: drained, or kept in a file to read after a failure.
  if (o.logFile) child.stderr!.pipe(createWriteStream(o.logFile, { flags: 'a' }));
  else child.stderr!.resume();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('platform serve did not start')), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      const m = /at (http:\/\/127\.0\.0\.1:(\d+))/.exec(d.toString());
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, port: Number(m[2]) });
      }
    });
    child.once('exit', (code) => reject(new Error(`platform serve exited with ${code}`)));
  });
}

/** A throwaway CA and a certificate it signed for 127.0.0.1, as an operator's would be. */
export function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const run = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const f = (name: string) => join(dir, name);
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=aw throwaway CA', '-keyout', f('ca.key'), '-out', f('ca.pem'));
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr'));
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('san.ext'), '-out', f('server.pem'));
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

export interface NginxFront {
  /** nginx's plain-HTTP listener (loopback), for clients that do not speak TLS. */
  plainUrl: string;
  /** nginx's TLS listener, HTTP/2 on. */
  tlsUrl: string;
  /** The throwaway CA's certificate (PEM), which a client pins. */
  ca: Buffer;
  stop(): void;
}

/** nginx with the locations of docs/deployment.md: files from `pubDir`, everything else to `upstreams` (ports). */
export async function startNginxFront(o: { prefix: string; pubDir: string; token: string; upstreams: number[]; workerConnections?: number }): Promise<NginxFront> {
  const prefix = o.prefix;
  mkdirSync(prefix, { recursive: true });
  const tls = makeCertificates(prefix);
  const [plain, secure] = [await freePort(), await freePort()];
  const locations = `
    location ~ ^/(manifest\\.json|platform\\.pub|snapshots/|deltas/|keys/) {
      if ($http_authorization != "Bearer ${o.token}") { return 401; }
      root ${o.pubDir};
      add_header Cache-Control no-cache;
    }
    location / {
      proxy_pass http://aw_exchange;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_next_upstream error timeout http_503;
    }`;
  const plainUrl = `http://127.0.0.1:${plain}`;
  const http = `
  client_max_body_size 5m;
  upstream aw_exchange { ${o.upstreams.map((p) => `server 127.0.0.1:${p};`).join(' ')} keepalive 32; }
  server { listen 127.0.0.1:${plain}; ${locations} }
  server {
    listen 127.0.0.1:${secure} ssl http2;
    ssl_certificate ${tls.cert};
    ssl_certificate_key ${tls.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ${locations}
  }`;
  const stop = await runNginx(prefix, http, async () => (await fetch(`${plainUrl}/health`)).ok, o.workerConnections);
  return { plainUrl, tlsUrl: `https://127.0.0.1:${secure}`, ca: readFileSync(tls.ca), stop };
}

/**
 * nginx in the foreground on a generated configuration — one worker, everything under `prefix`, `http` the servers
 * and upstreams — ready once `ready` answers true; resolves with its stop.
 */
export async function runNginx(prefix: string, http: string, ready: () => Promise<boolean>, workerConnections = 64): Promise<() => void> {
  if (!NGINX) throw new Error('nginx is not installed (apt-get install nginx)');
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections ${workerConnections}; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  default_type application/octet-stream;
${http}
}
`,
  );
  const nginx = spawn(NGINX, ['-p', prefix, '-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try {
      if (await ready()) return () => void nginx.kill('SIGTERM');
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  nginx.kill('SIGKILL');
  throw new Error(`nginx did not start: ${readFileSync(join(prefix, 'logs', 'error.log'), 'utf8')}`);
}

export interface Deployment {
  database: string;
  state: PlatformState;
  /** The operator's own connection to the exchange database. */
  exchange: ExchangeStore;
  pubDir: string;
  snapshotBytes: number;
  nodes: ServeNode[];
  front: NginxFront;
  /** Starts node `i` again on its port (after it was killed), as its supervisor would. */
  restartNode(i: number): Promise<ServeNode>;
  stop(): Promise<void>;
}

/**
 * The whole of docs/deployment.md on one machine, in `dir`: a database on `cluster`, the platform's keys, a publication
 * of a generated snapshot of `persons`, `nodes` `platform serve` processes and nginx in front of them.
 */
export async function deployExchange(o: { dir: string; cluster: PostgresCluster; token: string; persons: number; nodes?: number; workerConnections?: number; logDir?: string }): Promise<Deployment> {
  const database = await o.cluster.createDatabase();
  const state = new PlatformState(join(o.dir, 'state'));
  state.init();
  const exchange = await ExchangeStore.open({ url: database });
  const pubDir = join(o.dir, 'pub');
  const snapshot = makeSnapshot(join(o.dir, 'built'), 'L-06', o.persons);
  await publishSnapshot({ state, exchange, pubDir, snapshotFile: snapshot.file, snapshotKey: snapshot.key });
  const start = (i: number, port?: number) => startServeNode({ stateDir: state.dir, pubDir, token: o.token, database, port, logFile: o.logDir ? join(o.logDir, `node${i}.log`) : undefined });
  const nodes: ServeNode[] = [];
  for (let i = 0; i < (o.nodes ?? 2); i++) nodes.push(await start(i));
  const front = await startNginxFront({ prefix: join(o.dir, 'nginx'), pubDir, token: o.token, upstreams: nodes.map((n) => n.port), workerConnections: o.workerConnections });
  return {
    database,
    state,
    exchange,
    pubDir,
    snapshotBytes: statSync(snapshot.file).size,
    nodes,
    front,
    restartNode: async (i) => (nodes[i] = await start(i, nodes[i]!.port)),
    async stop() {
      front.stop();
      for (const n of nodes) n.child.kill('SIGKILL');
      await exchange.close();
    },
  };
}
