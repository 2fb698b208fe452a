/** The layering in docs/architecture.md is enforced by lint; this proves the rules bite. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering', () => {
  it('keeps domain code pure', async () => {
    expect(await violations('src-main/domain/x.ts', "import Database from 'better-sqlite3-multiple-ciphers';\nexport const d = Database;\n")).toHaveLength(1);
    expect(await violations('src-main/domain/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toHaveLength(1);
    expect(await violations('src-main/domain/x.ts', "import { SessionRegistry } from '../services/sessions.js';\nexport const s = SessionRegistry;\n")).toHaveLength(1);
  });

  it('holds in subfolders too: a nested file may not import a layer above it', async () => {
    expect(await violations('src-main/domain/cases/x.ts', "import { SessionRegistry } from '../../services/sessions.js';\nexport const s = SessionRegistry;\n")).toHaveLength(1);
    expect(await violations('src-main/domain/exchange/x.ts', "import { TeamDb } from '../../store/team/team-db.js';\nexport const t = TeamDb;\n")).toHaveLength(1);
    expect(await violations('src-main/domain/rules/x.ts', "import { signBytes } from '../../platform/signing.js';\nexport const s = signBytes;\n")).toHaveLength(1);
    expect(await violations('src-main/store/team/x.ts', "import { teamCaseExchange } from '../../services/sync/case-exchange.js';\nexport const t = teamCaseExchange;\n")).toHaveLength(1);
    expect(await violations('src-main/platform/x.ts', "import { TeamDb } from '../store/team/team-db.js';\nexport const t = TeamDb;\n")).toHaveLength(1);
    expect(await violations('src-main/services/sync/x.ts', "import { startHttpBridge } from '../../shells/http/http-bridge.js';\nexport const s = startHttpBridge;\n")).toHaveLength(1);
    // …and a nested domain file may import the domain.
    expect(await violations('src-main/domain/cases/x.ts', "import { isWithinScope } from '../division.js';\nexport const i = isWithinScope;\n")).toHaveLength(0);
  });

  it('puts the rule library between the store and services', async () => {
    // The store runs the SQL a rule hands it, and knows no rule; the rules know no services.
    expect(await violations('src-main/store/snapshot/x.ts', "import { RULE_MODULES } from '../../rules/index.js';\nexport const r = RULE_MODULES;\n")).toHaveLength(1);
    expect(await violations('src-main/store/x.ts', "import { ruleById } from '../rules/index.js';\nexport const r = ruleById;\n")).toHaveLength(1);
    expect(await violations('src-main/domain/x.ts', "import { RULE_MODULES } from '../rules/index.js';\nexport const r = RULE_MODULES;\n")).toHaveLength(1);
    expect(await violations('src-main/domain/cases/x.ts', "import { RULE_MODULES } from '../../rules/index.js';\nexport const r = RULE_MODULES;\n")).toHaveLength(1);
    expect(await violations('src-main/platform/x.ts', "import { RULE_MODULES } from '../rules/index.js';\nexport const r = RULE_MODULES;\n")).toHaveLength(1);
    expect(await violations('src-main/rules/x.ts', "import { precheck } from '../services/checks/precheck.js';\nexport const p = precheck;\n")).toHaveLength(1);
    expect(await violations('src-main/rules/r-death/x.ts', "import { runChecks } from '../../services/checks/rule-engine.js';\nexport const r = runChecks;\n")).toHaveLength(1);
    expect(await violations('src-renderer/x.ts', "import { RULE_MODULES } from '../src-main/rules/index';\nexport const r = RULE_MODULES;\n")).toHaveLength(1);
    // …while the rules use the store's fragments, the store and the domain keep their own domain/rules/, and the
    // services, the generator and the data platform use the rules (the renderer their definitions).
    expect(await violations('src-main/rules/r-death/x.ts', "import { activeAt } from '../../store/sql-fragments.js';\nexport const a = activeAt;\n")).toHaveLength(0);
    expect(await violations('src-main/store/snapshot/x.ts', "import { isActiveAt } from '../../domain/rules/facts.js';\nexport const i = isActiveAt;\n")).toHaveLength(0);
    expect(await violations('src-main/domain/cases/x.ts', "import { isActiveAt } from '../rules/facts.js';\nexport const i = isActiveAt;\n")).toHaveLength(0);
    expect(await violations('src-main/services/checks/x.ts', "import { RULE_MODULES } from '../../rules/index.js';\nexport const r = RULE_MODULES;\n")).toHaveLength(0);
    expect(await violations('src-main/data-platform/x.ts', "import { QUALITY_RULES } from '../rules/index.js';\nexport const q = QUALITY_RULES;\n")).toHaveLength(0);
    expect(await violations('src-renderer/x.ts', "import { RULE_CATALOGUE } from '../src-main/rules/catalogue';\nexport const c = RULE_CATALOGUE;\n")).toHaveLength(0);
  });

  it('keeps Electron out of services and the store', async () => {
    expect(await violations('src-main/services/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await violations('src-main/store/x.ts', "import { Dispatcher } from '../services/dispatcher.js';\nexport const d = Dispatcher;\n")).toHaveLength(1);
  });

  it('lets the renderer import only types from the main side', async () => {
    expect(await violations('src-renderer/x.ts', "import type { CallName } from '../src-main/contract/contract';\nexport type C = CallName;\n")).toHaveLength(0);
    expect(await violations('src-renderer/x.ts', "import { contract } from '../src-main/contract/contract';\nexport const c = contract;\n")).toHaveLength(1);
    expect(await violations('src-renderer/x.ts', "import { createWorkstation } from '../src-main/services/workstation';\nexport const w = createWorkstation;\n")).toHaveLength(1);
  });
});
