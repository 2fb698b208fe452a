/** A real data platform for end-to-end tests: generate → publish → serve, through the project's own commands. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServedPlatform {
  url: string;
  token: string;
  stop(): Promise<void>;
}

export async function servePlatform(): Promise<ServedPlatform> {
  const dir = mkdtempSync(join(tmpdir(), 'aw-e2e-platform-'));
  const run = (script: string, args: string[]) => execFileSync('npx', ['tsx', script, ...args], { stdio: 'pipe' });
  run('src-main/shells/cli/main.ts', ['generate', '--format', 'snapshot', '--persons', '3000', '--seed', '8', '--out', join(dir, 'gen')]);
  run('src-main/shells/platform/main.ts', ['publish', '--state', join(dir, 'state'), '--pub', join(dir, 'pub'), '--snapshot', join(dir, 'gen', 'snapshot.db'), '--key-file', join(dir, 'gen', 'snapshot.db.key')]);
  const token = 'e2e-platform-token';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src-main/shells/platform/main.ts', 'serve', '--state', join(dir, 'state'), '--pub', join(dir, 'pub'), '--token', token, '--auto-approve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('platform serve did not start')), 30_000);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  return {
    url,
    token,
    stop: async () => {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
