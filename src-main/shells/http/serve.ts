/**
 * `npm run serve`: the workstation in a browser. Prints a one-time URL; stop with Ctrl+C.
 *   --data DIR       data folder (default ~/.audit-workstation or $AW_DATA_DIR)
 *   --extra-urls N   print N more one-time URLs (end-to-end tests open several browsers)
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createWorkstation } from '../../services/workstation.js';
import { defaultDataDir } from '../data-dir.js';
import { startHttpBridge } from './http-bridge.js';

// Everything this process creates (databases, their -wal files) is for its owner only.
process.umask(0o077);

const { values } = parseArgs({
  options: { data: { type: 'string' }, 'extra-urls': { type: 'string', default: '0' } },
});
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const rendererDir = join(root, 'out', 'renderer');
if (!existsSync(join(rendererDir, 'index.html'))) {
  console.error(`the renderer is not built (${rendererDir}); run: npm run build:renderer`);
  process.exit(1);
}
const dataDir = resolve(values.data ?? defaultDataDir());
mkdirSync(dataDir, { recursive: true, mode: 0o700 });

const workstation = createWorkstation({
  dataDir,
  transport: 'http',
  // Log the call name only: error objects may quote data.
  onInternalError: (name) => console.error(`internal error in ${name}`),
});
const bridge = await startHttpBridge(workstation, rendererDir);
console.log(`data folder: ${dataDir}`);
console.log(`open: ${bridge.url}`);
for (let i = 0; i < Number(values['extra-urls']); i++) console.log(`open: ${bridge.issueUrl()}`);

const stop = async () => {
  await bridge.close();
  workstation.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
