/** Starts `serve.ts` on a fresh data folder and hands out its one-time URLs. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServedApp {
  urls: string[];
  dataDir: string;
  stop(): Promise<void>;
}

export async function serveApp(extraUrls = 3): Promise<ServedApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aw-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src-main/shells/http/serve.ts', '--data', dataDir, '--extra-urls', String(extraUrls)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const urls: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve did not print its URLs')), 30_000);
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (const m of buffer.matchAll(/^open: (\S+)$/gm)) if (!urls.includes(m[1]!)) urls.push(m[1]!);
      if (urls.length === extraUrls + 1) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return {
    urls,
    dataDir,
    async stop() {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
