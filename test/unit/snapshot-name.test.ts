/** Must show: the demo district's snapshot is named in the reader's language; a platform's ids stay as they are. */
import { describe, expect, it } from 'vitest';
import { demoSnapshotId, snapshotName } from '../../src-main/domain/snapshot-name.js';

describe('snapshotName', () => {
  it('says the demo snapshot in English for an English reader, and as stored in Chinese', () => {
    const id = demoSnapshotId('2026-11-30');
    expect(id).toBe('演示数据-2026-11-30');
    expect(snapshotName(id, 'en')).toBe('Demo data 2026-11-30');
    expect(snapshotName(id, 'zh-CN')).toBe(id);
    expect(snapshotName(id)).toBe(id);
  });

  it('leaves a platform snapshot id as it is in both languages', () => {
    for (const language of ['zh-CN', 'en']) expect(snapshotName('S2026-11-30-320111', language)).toBe('S2026-11-30-320111');
  });
});
