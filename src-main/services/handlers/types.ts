import type { CallName, CallOutput, ParsedInput } from '../../contract/contract.js';
import type { Session } from '../sessions.js';

export interface HandlerContext {
  clientId: string;
  /** The session as the choke point found it; null for public calls made before login. */
  session: Session | null;
  /** Work to run after the audit entry is written (closing the workspace on logout or lock). */
  deferred: (() => void)[];
  /** Ends this client's current session with an audit entry (a new login replaces it). */
  endSession(reason: string): void;
}

export type Handler<K extends CallName> = (input: ParsedInput<K>, ctx: HandlerContext) => CallOutput<K> | Promise<CallOutput<K>>;
export type Handlers = { [K in CallName]: Handler<K> };

/** For handlers behind the choke point: the session it guaranteed is active. */
export function activeSession(ctx: HandlerContext): Session & { workspace: NonNullable<Session['workspace']> } {
  const s = ctx.session;
  if (!s || s.state !== 'active' || !s.workspace) throw new Error('handler reached without an active session');
  return s as Session & { workspace: NonNullable<Session['workspace']> };
}
