import { describe, expect, it } from 'vitest';
import { intersectScope, isDivisionPrefix, isWithinScope, normalizeScope, prefixRange } from '../../src-main/domain/division.js';

describe('division scopes', () => {
  it('knows real prefix lengths', () => {
    expect(['32', '3201', '320111', '320111002', '320111002003'].every(isDivisionPrefix)).toBe(true);
    expect(['3', '32011', '3201110021', 'abcdef'].some(isDivisionPrefix)).toBe(false);
  });

  it('puts a code inside a scope only by prefix', () => {
    const scope = ['320111002', '320113'];
    expect(isWithinScope('320111002003', scope)).toBe(true);
    expect(isWithinScope('320113005001', scope)).toBe(true);
    expect(isWithinScope('320111003001', scope)).toBe(false);
    expect(isWithinScope('320111', scope)).toBe(false); // wider than the scope
  });

  it('intersects a request with a scope', () => {
    expect(intersectScope('320111002003', ['320111002'])).toEqual(['320111002003']);
    expect(intersectScope('320111', ['320111002', '320111005', '320113'])).toEqual(['320111002', '320111005']);
    expect(intersectScope('320200', ['320111'])).toEqual([]);
  });

  it('normalises and ranges', () => {
    expect(normalizeScope(['320111002', '320111', '320111', '320113004'])).toEqual(['320111', '320113004']);
    expect(prefixRange('320111002')).toEqual(['320111002000', '320111002999']);
  });
});
