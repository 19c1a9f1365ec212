import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AuthError, createAuth } from '../src/auth.js';
import { createServer } from '../src/server.js';
import { createSessionStore } from '../src/session-store.js';

const PASSWORD = 'correct horse battery staple';

describe('auth', () => {
  test('login with the right password creates a session', async () => {
    const auth = createAuth();
    const session = await auth.login('demo', PASSWORD);
    assert.equal(session.userId, 'u-1');
    const { user } = auth.requireSession({ headers: { cookie: `sid=${session.id}` } });
    assert.equal(user.username, 'demo');
  });

  test('a wrong password or an unknown user is rejected', async () => {
    const auth = createAuth();
    await assert.rejects(auth.login('demo', 'wrong'), AuthError);
    await assert.rejects(auth.login('nobody', PASSWORD), AuthError);
    assert.equal(auth.store.size, 0);
  });

  test('an expired session is refused and forgotten', async () => {
    let clock = 1_000;
    const store = createSessionStore({ ttlMs: 500, now: () => clock });
    const auth = createAuth({ store });
    const session = await auth.login('demo', PASSWORD);
    clock += 499;
    assert.ok(auth.requireSession({ headers: { cookie: `sid=${session.id}` } }));
    clock += 1;
    assert.throws(() => auth.requireSession({ headers: { cookie: `sid=${session.id}` } }), /expired/);
    assert.equal(store.size, 0);
  });
});

describe('http', () => {
  let server;
  let base;

  before(async () => {
    server = createServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });

  after(() => new Promise((resolve) => server.close(resolve)));

  test('/me without a session is 401', async () => {
    const res = await fetch(`${base}/me`);
    assert.equal(res.status, 401);
  });

  test('/login then /me with the session cookie', async () => {
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password: PASSWORD }),
    });
    assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie').split(';')[0];
    assert.match(cookie, /^sid=/);

    const me = await fetch(`${base}/me`, { headers: { cookie } });
    assert.equal(me.status, 200);
    assert.deepEqual(await me.json(), { id: 'u-1', username: 'demo', name: 'Demo User' });
  });

  test('/login with a bad password is 401', async () => {
    const res = await fetch(`${base}/login`, {
      method: 'POST',
      body: JSON.stringify({ username: 'demo', password: 'nope' }),
    });
    assert.equal(res.status, 401);
  });
});
