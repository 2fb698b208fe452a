/** A monitoring statement by id: a signal's (rules/signals/<m-id>/sql.ts) or the monitored population's. */
import { POPULATION, signalModule } from '../../rules/signals/index.js';

export function monitoringStatement(id: string): string {
  if (id === POPULATION.id) return POPULATION.sql;
  const m = signalModule(id);
  if (!m) throw new Error(`no signal ${id}`);
  return m.sql;
}
