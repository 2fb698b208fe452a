/** The months and dates the monitoring signals bind (rules/signals/windows.ts): monitoring.md and rules.md §T. */
import { describe, expect, it } from 'vitest';
import { signalWindows } from '../../src-main/rules/signals/windows.js';

describe('signal windows', () => {
  it('the window, the year, P and the population limits at the defaults', () => {
    expect(signalWindows('2024-06-30', {}, '2024-06')).toEqual({
      windowFrom: '2024-04',
      windowStart: '2024-04-01',
      yearFrom: '2023-07',
      yearStart: '2023-07-01',
      priorFrom: '2024-01',
      priorTo: '2024-03',
      wageWindowFrom: '2024-04',
      wageWindowTo: '2024-06',
      wageBaseFrom: '2023-07',
      wageBaseTo: '2024-03',
      exitedAfter: '2022-06-30',
      refusedAfter: '2023-06-30',
    });
  });
  it('a late income feed ends the wage window at its newest month; a feed ahead of D does not move it', () => {
    expect(signalWindows('2024-06-30', {}, '2024-04')).toMatchObject({ wageWindowFrom: '2024-02', wageWindowTo: '2024-04', wageBaseFrom: '2023-05', wageBaseTo: '2024-01' });
    expect(signalWindows('2024-06-30', {}, '2024-09')).toMatchObject({ wageWindowTo: '2024-06' });
    expect(signalWindows('2024-06-30', {}, null)).toMatchObject({ wageWindowTo: '2024-06' });
  });
  it('follows the parameters, across a year end, and clamps addMonths to the month’s last day', () => {
    expect(signalWindows('2024-02-29', { windowMonths: 6, priorMonths: 2, exitedMonths: 12, refusedMonths: 6 }, '2024-02')).toMatchObject({
      windowFrom: '2023-09',
      windowStart: '2023-09-01',
      priorFrom: '2023-07',
      priorTo: '2023-08',
      exitedAfter: '2023-02-28',
      refusedAfter: '2023-08-29',
    });
    expect(signalWindows('2024-08-31', { exitedMonths: 6 }, null).exitedAfter).toBe('2024-02-29');
  });
});
