/**
 * The export register goes up to the platform with the sync: each settled export once, its row marks in parts, marked
 * sent only when every part was acknowledged; an export still being written waits; a platform without the endpoint
 * leaves everything in the outbox.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformServer, type PlatformServer } from '../../src-main/data-platform/serve.js';
import { teamRegisterExchange } from '../../src-main/services/sync/register-exchange.js';
import { exportClosingMessage, exportOpeningMessage } from '../../src-main/domain/authorship.js';
import type { MemberSigner } from '../../src-main/services/member-signing.js';
import { teamCaseExchange } from '../../src-main/services/sync/case-exchange.js';
import { syncCaseEvents, syncExportRegister, type RegisterExchange } from '../../src-main/services/sync/sync-engine.js';
import type { ExportEntry } from '../../src-main/store/team/export-register.js';
import { TeamDb } from '../../src-main/store/team/team-db.js';
import { makePublication, type Publication } from '../helpers/platform-fixture.js';
import { testSigner } from '../helpers/signers.js';
import { systemClock } from '../../src-main/platform/clock.js';

const TOKEN = 'register-token-1';
let root: string;
let server: PlatformServer;
let pub: Publication;
let team: TeamDb;

const exporter = testSigner('u1', '审计一', 'auditor');

function register(rows: number, settle: boolean, signer: MemberSigner = exporter): string {
  const exportId = randomUUID();
  const entry: ExportEntry = {
    exportId,
    createdAt: new Date().toISOString(),
    userId: 'u1',
    username: 'auditor1',
    displayName: '审计一',
    kind: 'findings',
    format: 'xlsx',
    purpose: '季度核查',
    recipient: null,
    query: { filter: {} },
    scope: ['320111'],
    columns: ['线索编号'],
    masking: {},
    tag: randomBytes(5).toString('hex'),
    auditHead: null,
    approvalId: null,
  };
  team.exports.begin(entry, signer.sign(exportOpeningMessage(entry)));
  team.exports.addRows(exportId, Array.from({ length: rows }, (_, i) => ({ rowMark: `${exportId.slice(0, 4).toUpperCase()}${String(i).padStart(8, '0')}`, identity: randomBytes(8).toString('hex') })));
  const closing = { rowCount: rows, fileName: 'x.xlsx', fileSha256: '0'.repeat(64) };
  if (settle) team.exports.complete(exportId, closing, signer.sign(exportClosingMessage({ exportId, ...closing })));
  return exportId;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aw-register-sync-'));
  pub = await makePublication(root);
  server = await startPlatformServer({ pubDir: pub.pubDir, state: pub.state, exchange: pub.exchange, tokens: [TOKEN] });
  team = TeamDb.open(join(root, 'team.db'), randomBytes(32), { create: true });
  // The exporter's card reaches the platform with the sync's roster step (the platform checks every entry against it).
  team.signers.recordLocal(exporter.card, exporter.proof, new Date().toISOString());
  expect(await syncCaseEvents(pub.credentials(server.url, TOKEN), teamCaseExchange(team, server.url, systemClock))).toMatchObject({ status: 'done' });
});
afterAll(async () => {
  team.close();
  await server.close();
  await pub.close();
  rmSync(root, { recursive: true, force: true });
});

describe('export register upload', () => {
  it('sends each settled export once, its marks in parts, and keeps one still being written', async () => {
    const big = register(45_000, true);
    const small = register(10, true);
    const writing = register(5, false);
    const credentials = pub.credentials(server.url, TOKEN);
    expect(await syncExportRegister(credentials, teamRegisterExchange(team, systemClock))).toEqual({ status: 'done', exports: 2 });

    const parts = await pub.exchange.exportParts();
    const marksOf = (id: string) => parts.filter((p) => p.entry.exportId === id).flatMap((p) => p.marks.map((m) => m.rowMark));
    expect(parts.filter((p) => p.entry.exportId === big).map((p) => p.part).sort()).toEqual([0, 1, 2]);
    expect(new Set(marksOf(big)).size).toBe(45_000);
    expect(marksOf(small)).toHaveLength(10);
    expect(marksOf(writing)).toHaveLength(0);
    expect(parts[0]!.entry.purpose).toBe('季度核查');

    // Nothing twice; the one being written goes once it is settled.
    expect(await syncExportRegister(credentials, teamRegisterExchange(team, systemClock))).toEqual({ status: 'done', exports: 0 });
    team.exports.abandon(writing, 5);
    expect(await syncExportRegister(credentials, teamRegisterExchange(team, systemClock))).toEqual({ status: 'done', exports: 1 });
  });

  it('answers which exports showed a given finding, by its identity hash', () => {
    const a = register(3, true);
    const b = register(2, true);
    const shared = 'f0e1d2c3b4a59687';
    team.exports.addRows(a, [{ rowMark: 'ZZZZ00000001', identity: shared }]);
    team.exports.addRows(b, [{ rowMark: 'ZZZZ00000002', identity: shared }]);
    expect(team.exports.exportsOfIdentity(shared)).toEqual([a, b].sort());
    expect(team.exports.lookupRowMarks(['ZZZZ00000002', 'ZZZZ00000003'])).toEqual(new Map([['ZZZZ00000002', { exportId: b, identity: shared }]]));
  });

  it('refuses an entry its exporter did not sign, or one edited after signing, and keeps it to send', async () => {
    const credentials = pub.credentials(server.url, TOKEN);
    expect(await syncExportRegister(credentials, teamRegisterExchange(team, systemClock))).toMatchObject({ status: 'done' });
    // Someone holding the team store signs an export in u1's name with a key of their own.
    const impostor = testSigner('u1', '审计一', 'auditor');
    const forged = register(2, true, impostor);
    expect(await syncExportRegister(credentials, teamRegisterExchange(team, systemClock))).toMatchObject({ status: 'failed', exports: 0 });
    expect(team.exports.unsent().map((e) => e.exportId)).toEqual([forged]);
    const refusals = await pub.exchange.refusals();
    expect(refusals.at(-1)).toMatchObject({ kind: 'export-register', status: 400 });
    expect(refusals.at(-1)!.error).toMatch(/EXPORT_ENTRY_REFUSED.*not signed by the exporter/);
    // The genuine exporter's entry with its purpose changed after signing: the signature no longer covers it.
    const exchange = teamRegisterExchange(team, systemClock);
    const edited: RegisterExchange = { ...exchange, unsent: () => exchange.unsent().filter((e) => e.exportId !== forged) };
    const genuine = register(1, true);
    const tampered: RegisterExchange = { ...edited, unsent: () => edited.unsent().map((e) => ({ ...e, entry: { ...(e.entry as object), purpose: '私人用途' } })) };
    expect(await syncExportRegister(credentials, tampered)).toMatchObject({ status: 'failed', exports: 0 });
    expect(await syncExportRegister(credentials, edited)).toEqual({ status: 'done', exports: 1 });
    expect(team.exports.get(genuine)).not.toBeNull();
  });

  it('leaves the register in the outbox when the platform cannot take it', async () => {
    const before = team.exports.unsent().length;
    register(3, true);
    const unreachable = { ...pub.credentials(server.url, TOKEN), url: 'http://127.0.0.1:9/' };
    expect(await syncExportRegister(unreachable, teamRegisterExchange(team, systemClock))).toMatchObject({ status: 'failed', exports: 0 });
    expect(team.exports.unsent()).toHaveLength(before + 1);
  });
});
