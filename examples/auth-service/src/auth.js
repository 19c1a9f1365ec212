// Login and the session check. Framework-free: a "request" is any object with a `headers` record.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { createSessionStore } from './session-store.js';

const scryptAsync = promisify(scrypt);
const KEY_LENGTH = 64;

export const SESSION_COOKIE = 'sid';

export class AuthError extends Error {
  constructor(message, status = 401) {
    super(message);
    this.name = 'AuthError';
    this.status = status;
  }
}

export async function hashPassword(password, salt = randomBytes(16)) {
  const key = await scryptAsync(password, salt, KEY_LENGTH);
  return { salt, key };
}

export async function verifyPassword(password, { salt, key }) {
  const candidate = await scryptAsync(password, salt, KEY_LENGTH);
  return timingSafeEqual(candidate, key);
}

// The only account: a demo user whose password is hashed once, at start-up.
export const DEMO_USER = { id: 'u-1', username: 'demo', name: 'Demo User' };
const DEMO_PASSWORD = 'correct horse battery staple';
const demoCredentials = hashPassword(DEMO_PASSWORD);

async function findUser(username) {
  if (username !== DEMO_USER.username) return undefined;
  return { ...DEMO_USER, credentials: await demoCredentials };
}

export function parseCookies(header = '') {
  const cookies = {};
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    cookies[part.slice(0, index).trim()] = decodeURIComponent(part.slice(index + 1).trim());
  }
  return cookies;
}

export function createAuth({ store = createSessionStore() } = {}) {
  return {
    store,

    // Resolves to the new session, or throws AuthError for unknown users and wrong passwords alike.
    async login(username, password) {
      if (typeof username !== 'string' || typeof password !== 'string') {
        throw new AuthError('username and password are required', 400);
      }
      const user = await findUser(username);
      if (user === undefined || !(await verifyPassword(password, user.credentials))) {
        throw new AuthError('invalid username or password');
      }
      return store.create(user.id);
    },

    // Returns `{ user, session }` for a request carrying a live session cookie; throws AuthError otherwise.
    requireSession(req) {
      const sessionId = parseCookies(req.headers?.cookie)[SESSION_COOKIE];
      if (sessionId === undefined) throw new AuthError('not logged in');
      const session = store.get(sessionId);
      if (session === undefined) throw new AuthError('session expired or unknown');
      return { user: DEMO_USER, session };
    },
  };
}
