/**
 * Faults under load (issue 18), with everything in separate processes as deployed: workstations over TLS and HTTP/2
 * to nginx, two `platform serve` node processes, PostgreSQL. While the simulated workstations enrol, sync and upload
 * concurrently (test/helpers/exchange-load.ts, the client of the load bench), one node is killed with SIGKILL and
 * started again a moment later (as systemd's Restart=always would), then PostgreSQL crashes and comes back. The
 * workstations retry what was not acknowledged; at the end nothing is lost or doubled (every feed equals its
 * jurisdiction's uploads, each once), every audit head is where its workstation left it and the platform's copy of
 * each chain verifies, and every register part is there once with all its marks.
 * Skipped outside CI without PostgreSQL, nginx or openssl.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deployExchange, NGINX, OPENSSL, type Deployment } from '../helpers/exchange-front.js';
import { POSTGRES_SKIP_REASON, sharedPostgres } from '../helpers/exchange-db.js';
import { runExchangeLoad } from '../helpers/exchange-load.js';

const TOKEN = 'faults-token';
const DEVICES = 24;
const root = mkdtempSync(join(tmpdir(), 'aw-exchange-faults-'));
let deployment: Deployment | null = null;
afterAll(async () => {
  await deployment?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('the exchange service under load, through nginx, with faults', () => {
  it('loses and doubles nothing when a node is killed mid-upload and PostgreSQL restarts mid-run', async (ctx) => {
    const cluster = await sharedPostgres();
    if (!cluster || !NGINX || !OPENSSL) {
      if (process.env.CI) throw new Error('CI: PostgreSQL, nginx and openssl are required (.ci/run installs them)');
      console.warn(cluster ? 'nginx or openssl not found: skipping the fault run through nginx' : POSTGRES_SKIP_REASON);
      return ctx.skip();
    }
    // AW_FAULT_LOGS=DIR keeps each node's request log (and any crash) there, to read after a failure.
    deployment = await deployExchange({ dir: root, cluster, token: TOKEN, persons: 200, workerConnections: 512, logDir: process.env.AW_FAULT_LOGS });
    const { exchange, state, pubDir, front, nodes } = deployment;
    const d = deployment;

    const happened: string[] = [];
    const result = await runExchangeLoad({
      url: front.tlsUrl,
      ca: front.ca,
      token: TOKEN,
      exchange,
      state,
      pubDir,
      devices: DEVICES,
      rounds: 4,
      jurisdictions: [['320111'], ['320116'], ['320102']],
      marksPerPart: 20,
      deadlineMs: Number(process.env.AW_FAULT_DEADLINE_MS ?? 240_000),
      faults: [
        {
          // Uploads are in flight on both nodes by now (the workstations are past enrolment and sync).
          afterCalls: 170,
          act: async () => {
            nodes[0]!.child.kill('SIGKILL');
            happened.push('node killed');
            // Started again as systemd's Restart=always would: a start that fails (the database is away) is retried.
            for (;;) {
              await new Promise((r) => setTimeout(r, 1000));
              try {
                await d.restartNode(0);
                break;
              } catch {
                happened.push('node start failed');
              }
            }
            happened.push('node restarted');
          },
        },
        {
          afterCalls: 400,
          act: async () => {
            cluster.crash();
            happened.push('PostgreSQL crashed');
            await new Promise((r) => setTimeout(r, 1500));
            cluster.start();
            happened.push('PostgreSQL started');
          },
        },
      ],
    });
    console.log(`faults under load: ${happened.join(', ')}; ${result.calls} calls in ${result.seconds} s; retries ${JSON.stringify(Object.fromEntries(Object.entries(result.latencyMs).map(([k, v]) => [k, v.retries])))}`);
    // Both faults happened (under load the node may still be starting when the database goes away: harsher, fine).
    expect([...new Set(happened)].filter((h) => h !== 'node start failed').sort()).toEqual(['PostgreSQL crashed', 'PostgreSQL started', 'node killed', 'node restarted']);
    // The survivor lived through the database's restart (a node that died with it would have failed the run above).
    expect(nodes[1]!.child.exitCode).toBeNull();
    // The faults were felt: some calls had to be retried.
    expect(Object.values(result.latencyMs).reduce((n, v) => n + v.retries, 0)).toBeGreaterThan(0);
    expect(result.check).toEqual({ devicesWhoseFeedEqualsTheirJurisdiction: DEVICES, eventsUploaded: DEVICES * 4 * 10, lost: 0, doubled: 0, headsVerified: DEVICES, registerParts: DEVICES * 4 });
  }, 300_000);
});
