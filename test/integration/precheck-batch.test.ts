/** Batch pre-check of an applicant list with Chinese headers: one result per application, unreadable rows reported. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { precheckList, safeCell } from '../../src-main/services/checks/precheck-batch.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { buildDistrict } from '../helpers/district.js';

describe('batch pre-check', () => {
  it('checks each application of a list and reports the rows it cannot read', async () => {
    const { db, truth } = buildDistrict(41, 5000, { death: 0.1 });
    const snapshot = SnapshotDb.fromDatabase(db, 'synced');
    const dead = truth.find((t) => t.rule === 'R-DEATH')!.subjectId;
    const clean = db.prepare(`SELECT p.person_id FROM person p WHERE p.person_id NOT IN (SELECT person_id FROM enrollment) AND p.person_id NOT IN (SELECT person_id FROM death_record) AND p.person_id NOT IN (SELECT person_id FROM hukou_event) LIMIT 1`).pluck().get() as string;
    const dir = mkdtempSync(join(tmpdir(), 'aw-batch-'));
    try {
      const file = join(dir, 'applicants.csv');
      writeFileSync(
        file,
        '\uFEFF申请编号,公民身份号码,救助业务,居住地区划\n' +
          `A1,${dead},高龄独居老人补贴,320111001001\n` +
          `A2,${clean},temporary,320111001001\n` + // not a programme: refused row
          `A3,${clean},elderly_alone,320111001001\n` +
          `A4,110105194912310021,dibao,320111001001\n`,
      );
      const rows = await precheckList(snapshot, file);
      const byId = new Map(rows.map((r) => [r.applicationId, r]));
      expect(byId.get('A1')!.result!.reasons.map((r) => r.code)).toContain('DECEASED');
      expect(byId.get('A3')!.result!.pass).toBe(true);
      expect(byId.get('A4')!.result).toMatchObject({ outcome: 'invalid_input', reasons: [] });
      expect(byId.get('A4')!.result!.inputProblems).toHaveLength(1);
      expect(byId.get('A2')).toMatchObject({ result: null, problem: expect.stringMatching(/line 3, program/) });
      expect(safeCell('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      snapshot.close();
    }
  });
});
