/**
 * The renderer's one door to the services: `call(name, input)`, typed by the shared contract.
 * In Electron the preload exposes `window.workstation`; in browser mode the same calls go to the loopback bridge.
 * The renderer never decides permissions: it shows what the service answers.
 */
import type { CallInput, CallName, CallOutput } from '../../src-main/contract/contract';
import type { CallResult, ErrorCode } from '../../src-main/contract/errors';

declare global {
  interface Window {
    workstation?: { call(name: string, input: unknown): Promise<CallResult<unknown>> };
  }
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'TRANSPORT',
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

type SessionListener = (code: 'NO_SESSION' | 'LOCKED' | 'PASSWORD_CHANGE_REQUIRED') => void;
let sessionListener: SessionListener | null = null;
/** The session store subscribes here, so any call that finds the session gone or locked updates the screen. */
export function onSessionInterrupted(listener: SessionListener): void {
  sessionListener = listener;
}

/** Browser mode: the bridge writes this window's secret into the page; it goes with every call. */
const clientSecret = document.querySelector<HTMLMetaElement>('meta[name="aw-client-secret"]')?.content ?? '';

async function send(name: string, input: unknown): Promise<CallResult<unknown>> {
  if (window.workstation) return window.workstation.call(name, input);
  let response: Response;
  try {
    response = await fetch('/api/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-AW-Client-Secret': clientSecret },
      credentials: 'same-origin',
      body: JSON.stringify({ name, input }),
    });
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: 'network' } };
  }
  if (!response.ok) return { ok: false, error: { code: 'INTERNAL', message: `bridge answered ${response.status}` } };
  return (await response.json()) as CallResult<unknown>;
}

export async function call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  const result = await send(name, input);
  if (result.ok) return result.value as CallOutput<K>;
  const { code, message, details } = result.error;
  if (code === 'NO_SESSION' || code === 'LOCKED' || code === 'PASSWORD_CHANGE_REQUIRED') sessionListener?.(code);
  throw new ApiError(code, message, details);
}
