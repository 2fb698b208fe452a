/**
 * The library live, beside the library as shipped. A snapshot's build stores every rule's rows at the policy defaults
 * (store/snapshot/derived-results.ts), so a run with those values reads them back in milliseconds; an auditor who
 * changes a value, another preset or a region's own values runs live. The benchmarks time both: this makes a copy of a
 * built snapshot without the stored rows of the rules that have parameters — the rules without parameters keep theirs,
 * as every snapshot since session 9 has — on which every run is live, as the earlier sessions measured it.
 */
import { copyFileSync } from 'node:fs';
import { BUILTIN_RULES } from '../src-main/rules/index.js';
import { openEncrypted } from '../src-main/store/sqlcipher.js';

/** Copies `file` to `copy` and drops the stored rows of the rules with parameters from the copy. */
export function withoutStoredParameterRules(file: string, key: Uint8Array, copy: string): string {
  copyFileSync(file, copy);
  const db = openEncrypted(copy, key, { journal: 'off' });
  try {
    const ids = JSON.stringify(BUILTIN_RULES.filter((r) => r.parameters.length > 0).map((r) => r.id));
    db.transaction(() => {
      db.prepare(`DELETE FROM derived_rule_chunk WHERE statement_digest IN (SELECT statement_digest FROM derived_rule WHERE rule_id IN (SELECT value FROM json_each(?)))`).run(ids);
      db.prepare(`DELETE FROM derived_rule WHERE rule_id IN (SELECT value FROM json_each(?))`).run(ids);
    })();
  } finally {
    db.close();
  }
  return copy;
}
