/**
 * `npm run bench`: the foundation's speed, written to bench/results/foundation.json.
 *   - unlock: password → scrypt (production cost) → unwrap → open the SQLCipher workspace → verify the grant
 *   - audit append: 100,000 entries, each its own committed INSERT (how the app appends), then batched
 *   - audit verify: walking and checking the whole 100,000-entry chain
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChain } from '../src-main/domain/audit-chain.js';
import { createWorkstation } from '../src-main/services/workstation.js';

const AUDIT_ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? 100_000);
const UNLOCK_RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'aw-bench-'));
  const ws = createWorkstation({ dataDir: dir, transport: 'http' }); // production KDF cost
  try {
    const password = 'bench-password-1';
    const setup = await ws.dispatch('bench', 'auth.setupAdmin', { username: 'bench', displayName: 'bench', password });
    if (!setup.ok) throw new Error(setup.error.message);
    await ws.dispatch('bench', 'auth.logout', {});

    const { accounts } = ws.internals;
    const unlock: number[] = [];
    const kdfOnly: number[] = [];
    for (let i = 0; i < UNLOCK_RUNS; i++) {
      const t0 = process.hrtime.bigint();
      const { account, dataKey } = await accounts.authenticate('bench', password, 'bench');
      kdfOnly.push(ms(t0));
      const workspace = accounts.openWorkspace(account, dataKey);
      unlock.push(ms(t0));
      workspace.close();
    }

    const { account, dataKey } = await accounts.authenticate('bench', password, 'bench');
    const workspace = accounts.openWorkspace(account, dataKey);
    const event = (i: number) => ({
      userId: account.id,
      username: 'bench',
      action: i % 3 ? 'home.summary' : 'person.profile',
      target: `32011100200${i % 10}`,
      outcome: 'ok' as const,
      detail: { i },
    });
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < AUDIT_ENTRIES; i++) workspace.appendAudit(event(i), new Date().toISOString());
    const appendEachMs = ms(t0);

    t0 = process.hrtime.bigint();
    const batch = Array.from({ length: AUDIT_ENTRIES }, (_, i) => ({ event: event(i), ts: new Date().toISOString() }));
    workspace.appendAuditBatch(batch);
    const appendBatchMs = ms(t0);

    t0 = process.hrtime.bigint();
    const verified = verifyChain(workspace.auditMacKey(), workspace.iterateAudit());
    const verifyMs = ms(t0);
    if (verified.firstBreak) throw new Error('chain broken in bench');
    workspace.close();

    const result = {
      benchmark: 'foundation',
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, platform: process.platform },
      unlock: {
        kdf: 'scrypt N=2^17 r=8 p=1 (128 MiB)',
        runs: UNLOCK_RUNS,
        medianMs: +median(unlock).toFixed(1),
        minMs: +Math.min(...unlock).toFixed(1),
        kdfAndUnwrapMedianMs: +median(kdfOnly).toFixed(1),
      },
      auditAppend: {
        entries: AUDIT_ENTRIES,
        oneCommitPerEntry: { totalMs: Math.round(appendEachMs), perSecond: Math.round(AUDIT_ENTRIES / (appendEachMs / 1000)) },
        oneTransaction: { totalMs: Math.round(appendBatchMs), perSecond: Math.round(AUDIT_ENTRIES / (appendBatchMs / 1000)) },
      },
      auditVerify: { entries: verified.checked, totalMs: Math.round(verifyMs), perSecond: Math.round(verified.checked / (verifyMs / 1000)) },
    };
    const out = join(import.meta.dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'foundation.json'), JSON.stringify(result, null, 2) + '\n');
    console.log(JSON.stringify(result, null, 2));
  } finally {
    ws.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
