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
