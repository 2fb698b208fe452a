/**
 * `npm run cli -- sync --user NAME`: the app's own sync, for scheduled runs — through the service contract (login, the
 * same sync use case as 立即同步: snapshot, audit anchor, case exchange, export register), awaited to its end. The
 * outcome is the one the app records (and the user's audit trail holds as 同步完成, refused when it was refused).
 */
import { noProtection } from '../../platform/key-protector.js';
import type { SyncProgress } from '../../services/sync/sync-engine.js';
import type { SyncStatus } from '../../services/sync/sync-service.js';
import { createWorkstation } from '../../services/workstation.js';

type StatusView = { enrolled: boolean; running: boolean; progress: SyncProgress | null; lastSync: SyncStatus['lastSync'] };

export async function syncAsUser(dataDir: string, username: string, password: string, onProgress: (p: SyncProgress) => void): Promise<NonNullable<SyncStatus['lastSync']>> {
  const workstation = createWorkstation({ dataDir, transport: 'http', protector: noProtection });
  const client = 'cli';
  try {
    const login = await workstation.dispatch(client, 'auth.login', { username, password });
    if (!login.ok) throw new Error(`${username} cannot log in: ${login.error.message}`);
    const before = (await workstation.dispatch(client, 'sync.status', {})) as { ok: boolean; value: StatusView };
    if (!before.ok || !before.value.enrolled) throw new Error(`${username} has not enrolled with a data platform (use the app's 数据同步 screen)`);
    const started = await workstation.dispatch(client, 'sync.run', {});
    if (!started.ok) throw new Error(`${started.error.code}: ${started.error.message}`);
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      const status = (await workstation.dispatch(client, 'sync.status', {})) as { ok: true; value: StatusView } | { ok: false; error: { code: string; message: string } };
      if (!status.ok) throw new Error(`${status.error.code}: ${status.error.message}`);
      if (status.value.progress) onProgress(status.value.progress);
      if (!status.value.running && status.value.lastSync && status.value.lastSync.at !== before.value.lastSync?.at) return status.value.lastSync as NonNullable<SyncStatus['lastSync']>;
    }
  } finally {
    await workstation.dispatch(client, 'auth.logout', {});
    workstation.close();
  }
}
