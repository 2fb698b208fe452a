import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { exportTagFromDigest, findRowMarks, rowMarkFromInt, rowMarkToInt, findZeroWidthTags, rowMarkFromDigest, withZeroWidthTag, withoutZeroWidth, zeroWidthTag } from '../../src-main/domain/export/leak-marks.js';
import { traceLeak } from '../../src-main/domain/export/leak-trace.js';

const digest = (s: string) => createHmac('sha256', 'k').update(s).digest();

describe('leak marks', () => {
  it('hides an export tag in text invisibly and reads it back, however many times it appears', () => {
    for (let i = 0; i < 200; i++) {
      const tag = exportTagFromDigest(digest(`tag${i}`));
      expect(tag).toMatch(/^[0-9a-f]{10}$/);
      const text = withZeroWidthTag('死亡人员仍在享受救助', zeroWidthTag(tag));
      expect(withoutZeroWidth(text)).toBe('死亡人员仍在享受救助');
      expect(findZeroWidthTags(text)).toEqual([tag]);
      expect(findZeroWidthTags(`${text}\t${text}`)).toEqual([tag, tag]);
    }
    expect(withZeroWidthTag('', zeroWidthTag('0123456789'))).toBe('');
    // After a character outside the BMP, the tag goes after the whole character.
    expect(withZeroWidthTag('𠀀区', zeroWidthTag('0123456789')).startsWith('𠀀')).toBe(true);
  });

  it('makes row marks of 12 Crockford characters and finds them standing alone only', () => {
    const mark = rowMarkFromDigest(digest('row'));
    expect(mark).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
    expect(findRowMarks(`线索 ${mark}, 其他`)).toEqual([mark]);
    expect(findRowMarks(`X${mark}`)).toEqual([]);
    expect(findRowMarks('320111004001')).toEqual(['320111004001']); // looked up, and unknown to the register
    // The register stores a mark as the 60-bit number it spells.
    for (let i = 0; i < 100; i++) {
      const m = rowMarkFromDigest(digest(`r${i}`));
      const n = rowMarkToInt(m)!;
      expect(n < 1n << 60n && n >= 0n).toBe(true);
      expect(rowMarkFromInt(n)).toBe(m);
    }
    expect(rowMarkToInt('ILOU00000000')).toBeNull();
    expect(rowMarkToInt('ABC')).toBeNull();
  });

  it('attributes only with keyed evidence on at least two rows, and ranks by rows explained', () => {
    const rows = [
      ['线索编号', '规则名称'],
      ['AAAAAAAAAAAA', 'x'],
      ['BBBBBBBBBBBB', 'y'],
      ['CCCCCCCCCCCC', withZeroWidthTag('z', zeroWidthTag('00000000ff'))],
      ['DDDDDDDDDDDD', 'w'],
    ];
    const lookup = {
      rowMarks: (marks: readonly string[]) =>
        new Map(marks.filter((m) => m !== 'DDDDDDDDDDDD').map((m) => [m, { exportId: m === 'AAAAAAAAAAAA' ? 'e2' : 'e1', identity: m }] as const)),
      tags: (tags: readonly string[]) => new Map(tags.map((t) => [t, 'e1'] as const)),
    };
    const t = traceLeak(rows, lookup, { columnTitles: new Set(['线索编号', '规则名称']) });
    expect(t.dataRows).toBe(4);
    expect(t.unexplainedRows).toBe(1);
    expect(t.candidates.map((c) => [c.exportId, c.rows, c.attributed])).toEqual([
      ['e1', 2, true],
      ['e2', 1, false],
    ]);
    expect(t.candidates[0]).toMatchObject({ rowsByMark: 2, rowsByTag: 1, score: 0.5, evidence: 'row_marks' });
  });

  it('says when an attribution rests on hidden tags alone (which a holder of the export could copy onto other rows)', () => {
    const tag = zeroWidthTag('00000000ff');
    const rows = [
      ['张三', withZeroWidthTag('死亡未停保', tag)],
      ['李四', withZeroWidthTag('户籍迁出未停保', tag)],
    ];
    const t = traceLeak(rows, { rowMarks: () => new Map(), tags: (tags) => new Map(tags.map((x) => [x, 'e1'] as const)) });
    expect(t.candidates).toMatchObject([{ exportId: 'e1', attributed: true, rowsByMark: 0, rowsByTag: 2, evidence: 'tags_only' }]);
  });
});
