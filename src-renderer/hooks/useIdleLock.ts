/**
 * Idle lock, renderer side. The service locks an idle session on its own (the authority); this hook makes the
 * screen follow promptly: it locks after the user's own inactivity, sends a heartbeat while the user is active
 * (reading a long list makes no calls), and polls the session so a lock from elsewhere shows at once.
 */
import { useEffect } from 'react';
import { call } from '../api/client';
import { useSessionStore } from '../state/session-store';

const HEARTBEAT_MS = 60_000;
const POLL_MS = 15_000;

export function useIdleLock(idleLockMinutes: number): void {
  useEffect(() => {
    let lastActivity = Date.now();
    let lastHeartbeat = Date.now();
    const onActivity = () => {
      lastActivity = Date.now();
    };
    const events = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, onActivity, { passive: true });
    const timer = window.setInterval(() => {
      const now = Date.now();
      const store = useSessionStore.getState();
      if (now - lastActivity > idleLockMinutes * 60_000) {
        void store.lock().catch(() => store.refresh());
      } else if (lastActivity > lastHeartbeat && now - lastHeartbeat > HEARTBEAT_MS) {
        lastHeartbeat = now;
        void call('session.heartbeat', {}).catch(() => undefined);
      } else if (now % POLL_MS < 5_000) {
        void call('session.current', {}).then((s) => {
          if (!s || s.state !== 'active') store.adopt(s);
        }).catch(() => undefined);
      }
    }, 5_000);
    return () => {
      window.clearInterval(timer);
      for (const e of events) window.removeEventListener(e, onActivity);
    };
  }, [idleLockMinutes]);
}
