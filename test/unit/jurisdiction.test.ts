/** A device's jurisdiction (domain/exchange/jurisdiction.ts): which division codes it holds, and what it may see. */
import { describe, expect, it } from 'vitest';
import { inJurisdiction, parseJurisdiction, scopeInJurisdiction, visibleTo } from '../../src-main/domain/exchange/jurisdiction.js';

describe('jurisdiction', () => {
  it('parses division codes from a list or a comma-separated text, and refuses anything else', () => {
    expect(parseJurisdiction('320116, 320111,320111')).toEqual(['320111', '320116']);
    expect(parseJurisdiction(['3201'])).toEqual(['3201']);
    for (const bad of ['', 'abc', '3', [], [320111], null, '320111;320116', Array(51).fill('320111').map((c, i) => c + i)]) expect(parseJurisdiction(bad), String(bad)).toBeNull();
  });

  it('holds a code at or below one of its divisions', () => {
    expect(inJurisdiction('320111002', ['320111'])).toBe(true);
    expect(inJurisdiction('320111', ['3201'])).toBe(true);
    expect(inJurisdiction('320116', ['320111'])).toBe(false);
    expect(inJurisdiction('3201', ['320111'])).toBe(false);
  });

  it('takes a scope only when every code is inside, and never an empty one ("everything")', () => {
    expect(scopeInJurisdiction(['320111001', '320111002'], ['320111'])).toBe(true);
    expect(scopeInJurisdiction(['320111001', '320116001'], ['320111'])).toBe(false);
    expect(scopeInJurisdiction([], ['320111'])).toBe(false);
  });

  it('shows rows of a jurisdiction only to devices holding all of it', () => {
    expect(visibleTo(['320111'], ['320111', '320116'])).toBe(true);
    expect(visibleTo(['320111', '320116'], ['320111'])).toBe(false);
    expect(visibleTo(['320116'], ['320111'])).toBe(false);
  });
});
