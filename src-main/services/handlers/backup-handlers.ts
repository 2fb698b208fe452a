/**
 * backup.*: every role backs up and restores its own workspace (and, for members, the team store). Passwords never
 * reach the audit trail (secretFields); folders and piece numbers do.
 */
import { because, CallError } from '../../contract/errors.js';
import type { BackupService } from '../backup/backup-service.js';
import type { SessionRegistry } from '../sessions.js';
import { activeSession, type Handlers } from './types.js';

export function backupHandlers(d: { backups: BackupService; sessions: SessionRegistry }): Pick<Handlers, 'backup.status' | 'backup.run' | 'backup.sets' | 'backup.verify' | 'backup.restore'> {
  return {
    'backup.status': (_input, ctx) => d.backups.status(activeSession(ctx).workspace),
    'backup.run': (input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      return d.backups.run(user, workspace, input, ctx.clientId);
    },
    'backup.sets': (input) => d.backups.sets(input.folder),
    'backup.verify': (input, ctx) => d.backups.verify(activeSession(ctx).workspace, input),
    'backup.restore': async (input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      let sessions = 0;
      d.sessions.forEachOf(user.id, () => sessions++);
      if (sessions > 1) throw new CallError('CONFLICT', '您在另一个窗口中也已登录：请先在那里退出，再恢复。', because('restoreOtherWindow'));
      const { swapIn, ...result } = await d.backups.restore(user, workspace, input, ctx.clientId, () => ctx.endSession('workspace restored from a backup'));
      // After this call's audit entry is written in the chain being replaced: end the session, then swap.
      ctx.deferred.push(swapIn);
      return result;
    },
  };
}
