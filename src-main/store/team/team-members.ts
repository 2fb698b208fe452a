/** The team store's own list of who may hold its key (migration 005): founders, and members a supervisor activated. */
import type { Db } from '../sqlcipher.js';

export interface TeamMember {
  accountId: string;
  kind: 'founding' | 'activated';
  byAccount: string | null;
  at: string;
}

export class TeamMembers {
  constructor(private readonly db: Db) {}

  /** No one recorded yet: a store from before membership was kept (its current key holders become its founders). */
  isEmpty(): boolean {
    return !this.db.prepare('SELECT 1 FROM team_member LIMIT 1').get();
  }

  has(accountId: string): boolean {
    return !!this.db.prepare('SELECT 1 FROM team_member WHERE account_id = ?').get(accountId);
  }

  add(accountId: string, kind: TeamMember['kind'], byAccount: string | null, at: string): void {
    this.db.prepare('INSERT OR IGNORE INTO team_member (account_id, kind, by_account, at) VALUES (?, ?, ?, ?)').run(accountId, kind, byAccount, at);
  }

  list(): TeamMember[] {
    return this.db.prepare('SELECT account_id AS accountId, kind, by_account AS byAccount, at FROM team_member ORDER BY at, rowid').all() as TeamMember[];
  }
}
