// The HTTP surface: POST /login and GET /me on node:http. Importing this module starts nothing;
// `node src/server.js` listens on $PORT (default 3000).
import { createServer as createHttpServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { AuthError, createAuth, SESSION_COOKIE } from './auth.js';

const MAX_BODY_BYTES = 16 * 1024;

function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  let raw = '';
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > MAX_BODY_BYTES) throw new AuthError('request body too large', 413);
  }
  try {
    return JSON.parse(raw || '{}');
  } catch {
    throw new AuthError('body must be JSON', 400);
  }
}

export function createServer({ auth = createAuth() } = {}) {
  return createHttpServer(async (req, res) => {
    try {
      if (req.method === 'POST' && req.url === '/login') {
        const { username, password } = await readJson(req);
        const session = await auth.login(username, password);
        const maxAge = Math.floor((session.expiresAt - Date.now()) / 1000);
        const cookie = `${SESSION_COOKIE}=${session.id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`;
        return sendJson(res, 200, { ok: true }, { 'set-cookie': cookie });
      }
      if (req.method === 'GET' && req.url === '/me') {
        const { user } = auth.requireSession(req);
        return sendJson(res, 200, { id: user.id, username: user.username, name: user.name });
      }
      return sendJson(res, 404, { error: 'not found' });
    } catch (error) {
      if (error instanceof AuthError) return sendJson(res, error.status, { error: error.message });
      return sendJson(res, 500, { error: 'internal error' });
    }
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 3000);
  createServer().listen(port, () => console.log(`auth-service listening on http://localhost:${port}`));
}
