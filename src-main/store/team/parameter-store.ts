/** The team's rule parameter values (rules.md §P), each with its source: read by every run, set by supervisors. */
import type { RegionalValue } from '../../domain/rules/parameters.js';
import type { Db } from '../sqlcipher.js';

export interface StoredValue extends RegionalValue {
  setBy: string;
  setAt: string;
}

interface Row {
  name: string;
  division_prefix: string;
  effective_from: string;
  value: string;
  source: string;
  set_by: string;
  set_at: string;
}

const toValue = (r: Row): StoredValue => ({
  name: r.name,
  divisionPrefix: r.division_prefix,
  effectiveFrom: r.effective_from,
  value: JSON.parse(r.value) as unknown,
  source: r.source,
  setBy: r.set_by,
  setAt: r.set_at,
});

export class ParameterStore {
  constructor(private readonly db: Db) {}

  list(): StoredValue[] {
    return (this.db.prepare('SELECT * FROM parameter_value ORDER BY division_prefix, effective_from, name').all() as Row[]).map(toValue);
  }

  /** Sets values (one, or a region's whole file) at once: all of them or none. */
  set(values: readonly RegionalValue[], by: string, at: string): void {
    const upsert = this.db.prepare(
      `INSERT INTO parameter_value (name, division_prefix, effective_from, value, source, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (name, division_prefix, effective_from) DO UPDATE SET value = excluded.value, source = excluded.source, set_by = excluded.set_by, set_at = excluded.set_at`,
    );
    this.db.transaction(() => {
      for (const v of values) upsert.run(v.name, v.divisionPrefix, v.effectiveFrom, JSON.stringify(v.value), v.source, by, at);
    })();
  }

  /** Takes back a value set by mistake (the run after it uses what applied before). */
  remove(name: string, divisionPrefix: string, effectiveFrom: string): boolean {
    return this.db.prepare('DELETE FROM parameter_value WHERE name = ? AND division_prefix = ? AND effective_from = ?').run(name, divisionPrefix, effectiveFrom).changes > 0;
  }
}
