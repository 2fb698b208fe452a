import { spawn } from 'node:child_process';

/**
 * Runs test/helpers/work-child.ts on a data folder and kills it with SIGKILL `killAfterMs` after it printed "ready"
 * (a negative delay: never — the child is expected to kill itself). Resolves with what it printed.
 */
export function runAndKill(
  dataDir: string,
  password: string,
  killAfterMs: number,
  env: Record<string, string> = {},
  /** Polled every millisecond from this process: kill as soon as it holds (for moments the child cannot see itself). */
  killWhen?: () => boolean,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/work-child.ts', dataDir, password], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('ready') && killAfterMs >= 0) {
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        killAfterMs = -1;
      }
    });
    const poll = killWhen
      ? setInterval(() => {
          if (killWhen()) child.kill('SIGKILL');
        }, 1)
      : null;
    child.once('exit', () => poll && clearInterval(poll));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(out) : reject(new Error(`child ended by itself (${code}): ${err || out}`))));
  });
}
