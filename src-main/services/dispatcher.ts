/**
 * The choke point. Every renderer call, from either transport, passes here:
 *   1. the call exists in the contract;
 *   2. the session: present, not idle-locked, not waiting for a password change (unless the call allows it);
 *   3. the role the contract requires;
 *   4. the input against the contract's schema;
 *   5. the data scope (division prefix, or where the person lives);
 *   6. the handler runs;
 *   7. one audit entry: in the user's workspace chain, or in the system log when nobody is logged in.
 * Handlers never check roles or scope themselves; they can rely on this order.
 */
import { z } from 'zod';
import { contract, isCallName, type CallName, type CallSpec } from '../contract/contract.js';
import { CallError, type CallResult } from '../contract/errors.js';
import { isWithinScope } from '../domain/division.js';
import type { AuditEvent } from '../domain/audit-chain.js';
import type { RegistryDb } from '../store/registry/registry-db.js';
import { isoTime, type Clock } from '../platform/clock.js';
import type { HandlerContext, Handlers } from './handlers/types.js';
import type { Session, SessionRegistry } from './sessions.js';
import type { SnapshotProvider } from './snapshots.js';
import type { PersonRefs } from '../platform/person-refs.js';
import type { TeamAccess } from './team-access.js';

export interface DispatcherDeps {
  contractSpecs?: Record<string, CallSpec>;
  handlers: Handlers;
  sessions: SessionRegistry;
  registry: RegistryDb;
  snapshots: SnapshotProvider;
  /** The team store (findings, cases), for the scope of calls naming findings. */
  team?: TeamAccess;
  personRefs?: PersonRefs;
  clock: Clock;
  /** Validate handler outputs against the contract (on by default; a mismatch is a bug, reported as INTERNAL). */
  validateOutputs?: boolean;
  onInternalError?: (name: string, error: unknown) => void;
}

/** Which input field names the call's target, in order of preference, for the audit entry. */
const TARGET_FIELDS = ['personId', 'fingerprint', 'warningId', 'divisionPrefix', 'divisionCode', 'username', 'id', 'requestId'] as const;
/** Input fields never described in an audit entry: secrets are listed per call; a person reference means nothing later. */
const UNDESCRIBED_FIELDS = new Set(['personRef']);

export class Dispatcher {
  private readonly specs: Record<string, CallSpec>;

  constructor(private readonly d: DispatcherDeps) {
    this.specs = d.contractSpecs ?? (contract as Record<string, CallSpec>);
  }

  async dispatch(clientId: string, name: unknown, rawInput: unknown): Promise<CallResult<unknown>> {
    const now = this.d.clock.now();
    let session = this.d.sessions.get(clientId);
    if (session) this.applyIdleLock(session, now);

    if (typeof name !== 'string' || !isCallName(name) || !this.specs[name]) {
      const shown = String(name).slice(0, 64);
      return this.refuse(session, clientId, 'unknown_call', null, new CallError('UNKNOWN_CALL', `no such call: ${shown}`), undefined, 'denied', { name: shown });
    }
    const spec = this.specs[name]!;
    const ctx: HandlerContext = {
      clientId,
      session: session ?? null,
      deferred: [],
      endSession: (reason) => this.endSession(clientId, reason),
    };

    // 2–3. Session and role. Only input that passes the schema is ever described in an audit entry.
    const refusal = this.checkAccess(spec, session);
    if (refusal) {
      const valid = spec.input.safeParse(rawInput ?? {});
      return this.refuse(session, clientId, name, valid.success ? valid.data : null, refusal, spec);
    }

    // 4. Input.
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      // What was wrong, as codes and numbers the screen words in the user's language (never zod's English).
      const issues = parsed.error.issues.map((i) => {
        const bound = (i as { minimum?: unknown; maximum?: unknown }).minimum ?? (i as { maximum?: unknown }).maximum;
        return { path: i.path.join('.'), code: i.code, ...(typeof bound === 'number' || typeof bound === 'bigint' ? { bound: Number(bound) } : {}), message: i.message };
      });
      return this.refuse(session, clientId, name, null, new CallError('INVALID_INPUT', 'the input does not match the call', { issues }), spec);
    }
    const input = parsed.data as Record<string, unknown>;

    // 5. Scope.
    try {
      if (spec.scope && session) this.checkScope(spec.scope, input, session);
    } catch (error) {
      return this.refuse(session, clientId, name, input, error as CallError, spec);
    }

    if (session && spec.activity !== false) session.lastActivity = now;

    // 6. Handler.
    try {
      const handler = this.d.handlers[name as CallName] as (i: unknown, c: HandlerContext) => unknown;
      let value = await handler(input, ctx);
      if (this.d.validateOutputs !== false) value = spec.output.parse(value);
      session = this.d.sessions.get(clientId); // login and setup create a session
      if (spec.audit === 'always') this.audit(session, clientId, { action: name, outcome: 'ok', ...this.describe(spec, input) });
      return { ok: true, value };
    } catch (error) {
      session = this.d.sessions.get(clientId);
      if (error instanceof CallError) {
        return this.refuse(session, clientId, name, input, error, spec, 'failed');
      }
      this.d.onInternalError?.(name, error);
      const message = error instanceof z.ZodError ? 'the service returned data outside the contract' : 'internal error';
      return this.refuse(session, clientId, name, input, new CallError('INTERNAL', message), spec, 'error');
    } finally {
      for (const after of ctx.deferred) after();
    }
  }

  /** A client went away (window closed, server stopping): its session ends. */
  disconnect(clientId: string): void {
    this.endSession(clientId, 'disconnected');
  }

  /** Ends a client's session with an audit entry (in its chain, or in the system log while locked). */
  private endSession(clientId: string, reason: string): void {
    const session = this.d.sessions.get(clientId);
    if (!session) return;
    this.audit(session, clientId, { action: 'auth.logout', outcome: 'ok', target: null, detail: { reason } });
    this.d.sessions.end(clientId);
  }

  /**
   * Locks every session idle past its limit, so an abandoned window does not keep a workspace key in memory
   * until its next call. The workstation runs this on a timer.
   */
  sweepIdle(): void {
    const now = this.d.clock.now();
    for (const session of this.d.sessions.all()) this.applyIdleLock(session, now);
  }

  private applyIdleLock(session: Session, now: number): void {
    if (session.state !== 'active' || !session.workspace) return;
    const idleMs = session.prefs.idleLockMinutes * 60_000;
    if (now - session.lastActivity <= idleMs) return;
    this.audit(session, session.clientId, { action: 'session.idle_lock', outcome: 'ok', target: null, detail: { idleMs: now - session.lastActivity } });
    this.d.sessions.lock(session);
  }

  private checkAccess(spec: CallSpec, session: Session | undefined): CallError | null {
    if (spec.access === 'public') return null;
    if (!session) return new CallError('NO_SESSION', 'log in first');
    if (session.state === 'locked' && !spec.whileLocked) return new CallError('LOCKED', 'the session is locked');
    if (session.mustChangePassword && !spec.beforePasswordChange && !spec.whileLocked) {
      return new CallError('PASSWORD_CHANGE_REQUIRED', 'change the initial password first');
    }
    if (spec.access !== 'session' && !spec.access.includes(session.user.role)) {
      return new CallError('FORBIDDEN_ROLE', `role ${session.user.role} may not make this call`);
    }
    return null;
  }

  private checkScope(kind: NonNullable<CallSpec['scope']>, input: Record<string, unknown>, session: Session): void {
    const scope = session.user.scope;
    if (kind === 'divisionCode') {
      const code = input.divisionCode as string;
      if (!isWithinScope(code, scope)) throw new CallError('OUT_OF_SCOPE', `division ${code} is outside your data scope`);
      return;
    }
    if (kind === 'divisionPrefix') {
      const prefix = input.divisionPrefix as string | undefined;
      if (prefix !== undefined && !isWithinScope(prefix, scope)) {
        throw new CallError('OUT_OF_SCOPE', `division ${prefix} is outside your data scope`);
      }
      return;
    }
    if (kind === 'finding' || kind === 'findings') {
      const wanted = kind === 'finding' ? [input.fingerprint as string] : (input.fingerprints as string[]);
      const team = this.d.team?.forUser(session.user.id);
      if (!team) throw new CallError('NO_TEAM_ACCESS', 'the team store is not open');
      const divisions = team.inbox.divisionsOf(wanted);
      // One answer for "no such finding" and "a finding elsewhere", as for persons.
      const outside = wanted.filter((f) => !isWithinScope(divisions.get(f) ?? '\u0000', scope));
      if (outside.length > 0) throw new CallError('OUT_OF_SCOPE', kind === 'finding' ? 'no such finding in your data scope' : `${outside.length} of these findings are not in your data scope`);
      return;
    }
    if (kind === 'warning' || kind === 'warnings') {
      const wanted = kind === 'warning' ? [input.warningId as string] : (input.warningIds as string[]);
      const team = this.d.team?.forUser(session.user.id);
      if (!team) throw new CallError('NO_TEAM_ACCESS', 'the team store is not open');
      const divisions = team.warnings.divisionsOf(wanted);
      // One answer for "no such warning" and "a warning elsewhere", as for findings.
      const outside = wanted.filter((w) => !isWithinScope(divisions.get(w) ?? '\u0000', scope));
      if (outside.length > 0) throw new CallError('OUT_OF_SCOPE', kind === 'warning' ? 'no such warning in your data scope' : `${outside.length} of these warnings are not in your data scope`);
      return;
    }
    const personId = this.d.personRefs?.fromRef(input.personRef as string) ?? null;
    if (!personId) throw new CallError('OUT_OF_SCOPE', 'no such person in your data scope (references expire when the app restarts)');
    // The handler and the audit entry get the person the reference stands for.
    input.personId = personId;
    const snapshot = this.d.snapshots.forUser(session.user.id, session.workspace);
    if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
    const divisions = snapshot.divisionsOfPerson(input.personId as string);
    // One answer for "absent" and "elsewhere": a refusal must not tell whether someone receives assistance at all.
    if (!divisions.some((code) => isWithinScope(code, scope))) {
      throw new CallError('OUT_OF_SCOPE', 'no such person in your data scope');
    }
  }

  private describe(spec: CallSpec, input: Record<string, unknown> | null): { target: string | null; detail: Record<string, unknown> | null } {
    if (!input) return { target: null, detail: null };
    const field = TARGET_FIELDS.find((f) => typeof input[f] === 'string');
    const detail = Object.fromEntries(
      Object.entries(input).filter(([k]) => !spec.secretFields?.includes(k) && !UNDESCRIBED_FIELDS.has(k) && k !== field),
    );
    return { target: field ? (input[field] as string) : null, detail: Object.keys(detail).length ? detail : null };
  }

  private refuse(
    session: Session | undefined,
    clientId: string,
    action: string,
    input: unknown,
    error: CallError,
    spec?: CallSpec,
    outcome: AuditEvent['outcome'] = 'denied',
    extra: Record<string, unknown> = {},
  ): CallResult<never> {
    if (error.audited) return { ok: false, error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
    const described = spec && input && typeof input === 'object' ? this.describe(spec, input as Record<string, unknown>) : { target: null, detail: null };
    this.audit(session, clientId, {
      action,
      outcome,
      target: described.target,
      detail: { ...described.detail, ...extra, code: error.code },
    });
    return { ok: false, error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
  }

  private audit(
    session: Session | undefined,
    clientId: string,
    e: { action: string; outcome: AuditEvent['outcome']; target: string | null; detail: Record<string, unknown> | null },
  ): void {
    const ts = isoTime(this.d.clock);
    if (session?.workspace) {
      session.workspace.appendAudit({ userId: session.user.id, username: session.user.username, ...e }, ts);
    } else {
      // Nobody's workspace is open, so the entry goes to the unencrypted system log: it keeps who, what call and why
      // refused, never the call's target or input (an ID number typed into a locked screen must not land here).
      const code = e.detail?.code;
      this.d.registry.appendSystemLog(
        {
          userId: session?.user.id ?? null,
          username: session?.user.username ?? null,
          action: e.action,
          outcome: e.outcome,
          target: null,
          detail: { client: clientId, ...(code ? { code } : {}), ...(e.detail?.reason ? { reason: e.detail.reason } : {}) },
        },
        ts,
      );
    }
  }
}
