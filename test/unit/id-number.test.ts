import { describe, expect, it } from 'vitest';
import { birthDateOf, composeIdNumber, genderOf, maskIdNumber, maskName, validateIdNumber } from '../../src-main/domain/id-number.js';

describe('resident ID numbers', () => {
  it('accepts the GB 11643 example and computes its X check character', () => {
    expect(validateIdNumber('11010519491231002X')).toBeNull();
    expect(composeIdNumber('110105', '1949-12-31', 2)).toBe('11010519491231002X');
  });

  it('names the first problem of an invalid number', () => {
    expect(validateIdNumber('11010519491231002')).toBe('length');
    expect(validateIdNumber('11010519491231002x')).toBe('characters');
    expect(validateIdNumber('110105194902300027')).toBe('birth_date'); // 30 February
    expect(validateIdNumber('110105194912310021')).toBe('check_digit');
  });

  it('reads birth date and gender, and every composed number validates', () => {
    for (let seq = 0; seq < 200; seq++) {
      const id = composeIdNumber('320111', '2000-02-29', seq);
      expect(validateIdNumber(id)).toBeNull();
      expect(birthDateOf(id)).toBe('2000-02-29');
      expect(genderOf(id)).toBe(seq % 2 === 1 ? '1' : '2');
    }
  });

  it('masks for display', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskName('欧阳娜娜')).toBe('欧***');
  });
});
