// In-memory server-side sessions. Each session is an opaque random id mapped to a user and an expiry time.
// Everything lives in this process's memory: a restart logs everybody out and a second instance cannot see
// the first one's sessions.
import { randomBytes } from 'node:crypto';

export const DEFAULT_SESSION_TTL_MS = 30 * 60 * 1000;

export function createSessionStore({ ttlMs = DEFAULT_SESSION_TTL_MS, now = Date.now } = {}) {
  const sessions = new Map();

  return {
    create(userId) {
      const id = randomBytes(24).toString('base64url');
      const session = { id, userId, createdAt: now(), expiresAt: now() + ttlMs };
      sessions.set(id, session);
      return session;
    },

    // Expired sessions are removed lazily, when somebody asks for them.
    get(id) {
      const session = sessions.get(id);
      if (session === undefined) return undefined;
      if (session.expiresAt <= now()) {
        sessions.delete(id);
        return undefined;
      }
      return session;
    },

    destroy(id) {
      return sessions.delete(id);
    },

    // Drops every expired session; nothing calls it on a timer yet.
    sweep() {
      let removed = 0;
      for (const [id, session] of sessions) {
        if (session.expiresAt <= now()) {
          sessions.delete(id);
          removed += 1;
        }
      }
      return removed;
    },

    get size() {
      return sessions.size;
    },
  };
}
