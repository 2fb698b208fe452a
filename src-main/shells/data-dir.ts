/** Where the app keeps its data when not told otherwise (Electron uses app.getPath('userData') instead). */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(): string {
  return process.env.AW_DATA_DIR ?? join(homedir(), '.audit-workstation');
}
