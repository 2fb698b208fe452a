/**
 * `npm run cli -- trace FILE --user SUPERVISOR`: the leak trace of the supervisors' screen, from a terminal. It goes
 * through the same service contract (login, role check, audit entry) as the screen, on the workstation's data folder.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CallOutput } from '../../contract/contract.js';
import { noProtection } from '../../platform/key-protector.js';
import { createWorkstation } from '../../services/workstation.js';

type Trace = CallOutput<'export.trace'>;

export async function traceAsUser(dataDir: string, username: string, password: string, file: string): Promise<Trace> {
  const data = readFileSync(file);
  const workstation = createWorkstation({ dataDir, transport: 'http', protector: noProtection });
  const client = 'cli';
  try {
    const login = await workstation.dispatch(client, 'auth.login', { username, password });
    if (!login.ok) throw new Error(`${username} cannot log in: ${login.error.message}`);
    const result = await workstation.dispatch(client, 'export.trace', { fileName: basename(file), base64: data.toString('base64') });
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as Trace;
  } finally {
    await workstation.dispatch(client, 'auth.logout', {});
    workstation.close();
  }
}

export function describeTrace(t: Trace): string {
  const lines = [`${t.format}, ${t.dataRows} data rows, ${t.unexplainedRows} without a mark of any registered export (sha256 ${t.fileSha256.slice(0, 16)}…)`];
  if (!t.candidates.length) lines.push('no registered export matches: not attributed');
  for (const [i, c] of t.candidates.entries()) {
    lines.push(
      `${i + 1}. ${c.attributed ? 'ATTRIBUTED' : 'weak'}  score ${(c.score * 100).toFixed(1)}%  ${c.rows} rows (${c.rowsByMark} by row mark, ${c.rowsByTag} by hidden tag)`,
      `   export ${c.exportId} by ${c.displayName} (${c.username}) at ${c.createdAt}, ${c.format}, ${c.rowCount ?? '?'} rows, ${c.status}`,
      `   purpose: ${c.purpose}${c.recipient ? ` · recipient: ${c.recipient}` : ''}`,
    );
  }
  for (const s of t.stated) lines.push(`the file states export id ${s.exportId} (${s.known ? 'registered' : 'unknown'}; a statement, not evidence)`);
  return lines.join('\n');
}
