/** The monitored population's truth: monitoring.md "Who is evaluated" in plain TypeScript (independent of sql.ts). */
import { isActiveAt } from '../../../domain/rules/facts.js';
import type { DistrictRows } from '../../plant-kit.js';
import type { SignalContext } from '../types.js';
import { MonitorTruth } from '../truth-kit.js';

export const LAYERS = ['tekun', 'dibao', 'dibao_edge', 'rigid_expense', 'exited', 'refused'] as const;
export type Layer = (typeof LAYERS)[number];

/**
 * Each monitored household's layers, sorted (households nobody in which is monitored are absent), and the monitored
 * persons by layer, each counted once in their own household.
 */
export function populationTruth(rows: DistrictRows, ctx: SignalContext): { households: Map<string, Layer[]>; persons: Partial<Record<Layer, number>> } {
  const t = new MonitorTruth(rows, ctx);
  const exitedAfter = t.monthsBeforeD(Number(ctx.parameters.exitedMonths));
  const refusedAfter = t.monthsBeforeD(Number(ctx.parameters.refusedMonths));
  const programs = ['tekun', 'dibao', 'dibao_edge', 'rigid_expense'];
  // Every household with a household_member row (a person's layer comes from any of their households).
  const all = t.means.h.households();
  const householdLayers = new Map<string, Set<number>>();
  for (const h of all) {
    const ranks = new Set<number>();
    for (const p of t.members(h)) {
      for (const e of t.means.h.enrollmentsByPerson.get(p) ?? []) {
        if (programs.includes(e.program) && isActiveAt(e, t.d)) ranks.add(programs.indexOf(e.program));
        const end = e.end_date ?? '';
        if ((e.program === 'dibao' || e.program === 'tekun') && end !== '' && exitedAfter < end && end <= t.d && !['death', 'moved'].includes(e.end_reason ?? '')) ranks.add(4);
      }
    }
    householdLayers.set(h, ranks);
  }
  const personRank = new Map<string, number>();
  const offer = (p: string, rank: number) => personRank.set(p, Math.min(personRank.get(p) ?? 99, rank));
  for (const h of all) for (const p of t.members(h)) for (const r of householdLayers.get(h)!) offer(p, r);
  for (const a of rows.application ?? []) {
    if (a.outcome !== 'refused' || !a.decided_date || !(refusedAfter < a.decided_date && a.decided_date <= t.d) || !programs.includes(a.program)) continue;
    offer(a.person_id, 5);
    for (const p of t.members(a.household_id)) offer(p, 5);
  }
  const dead = (p: string) => {
    const death = t.means.h.deaths.get(p);
    return death !== undefined && death <= t.d;
  };
  const layerOf = (p: string): Layer | null => (personRank.has(p) && !dead(p) ? LAYERS[personRank.get(p)!]! : null);
  const households = new Map<string, Layer[]>();
  for (const h of t.households()) {
    const layers = new Set<Layer>();
    for (const p of t.members(h)) if (layerOf(p)) layers.add(layerOf(p)!);
    if (layers.size) households.set(h, [...layers].sort());
  }
  // Each monitored person once, in their own household (the smallest of their rows), when that household is known.
  const known = new Set(t.households());
  const own = new Map<string, string>();
  for (const m of rows.household_member ?? []) if (!own.has(m.person_id) || m.household_id < own.get(m.person_id)!) own.set(m.person_id, m.household_id);
  const persons: Partial<Record<Layer, number>> = {};
  for (const [p, h] of own) {
    const layer = layerOf(p);
    if (layer && known.has(h) && t.members(h).includes(p)) persons[layer] = (persons[layer] ?? 0) + 1;
  }
  return { households, persons };
}
