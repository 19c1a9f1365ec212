/**
 * Who may use `phasewise serve`, over real HTTP to the built CLI: bound to 0.0.0.0 it prints a token and refuses
 * every request without it (401), takes it from the printed `?token=` address into a strict cookie, or from an
 * Authorization header; a form post from another site, another origin or without the CSRF token is refused
 * (403) and records nothing; on loopback a foreign Host name is refused (DNS rebinding).
 */
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { haltedRun, startServe } from './serve-support.js';

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('phasewise serve access', () => {
  it('bound to 0.0.0.0, refuses requests without the printed token and lets the token in by cookie or header', async () => {
    const { workspace } = haltedRun();
    const serving = await startServe(['--host', '0.0.0.0', '--workspace', workspace], tmpdir());
    try {
      const token = new URL(serving.printed).searchParams.get('token');
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      for (const path of ['/', '/assets/dashboard.js', '/runs/x/events']) {
        const refused = await get(`${serving.origin}${path}`);
        expect(refused.status, path).toBe(401);
        expect(refused.body).toContain('a token is required');
      }
      expect(
        (await get(`${serving.origin}/`, { Authorization: 'Bearer wrong-token-of-some-length' })).status,
      ).toBe(401);
      expect((await get(`${serving.origin}/?token=wrong`)).status).toBe(401);

      const first = await get(`${serving.origin}/?token=${token}`);
      expect(first.status).toBe(303);
      expect(first.headers.location).toBe('/');
      const cookie = String(first.headers['set-cookie']);
      expect(cookie).toMatch(/^phasewise_token=[^;]+; HttpOnly; SameSite=Strict; Path=\//);
      const withCookie = await get(`${serving.origin}/`, { Cookie: cookie.split(';')[0]! });
      expect(withCookie.status).toBe(200);
      expect(withCookie.body).toContain('data-run-id=');
      expect(withCookie.headers['content-security-policy']).toContain("script-src 'self'");
      expect((await get(`${serving.origin}/`, { Authorization: `Bearer ${token}` })).status).toBe(200);
    } finally {
      await serving.stop();
    }
  }, 60_000);

  it('refuses cross-site, foreign-origin and token-less form posts, and a foreign Host on loopback', async () => {
    const { workspace, runId } = haltedRun();
    const serving = await startServe(['--workspace', workspace], tmpdir());
    try {
      expect(serving.printed).not.toContain('token=');
      const page = await fetch(`${serving.origin}/runs/${runId}`);
      expect(page.status).toBe(200);
      const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      const post = (headers: Record<string, string>, form: string) =>
        fetch(`${serving.origin}/runs/${runId}/review`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
          body: form,
        });
      const approve = `action=approve&phase=planning&csrf=${encodeURIComponent(csrf)}`;
      const refusals = [
        [{ Origin: 'http://evil.example' }, approve, 'another origin'],
        [{ 'Sec-Fetch-Site': 'cross-site' }, approve, 'cross-site'],
        [{ Origin: 'null' }, approve, 'another origin'],
        [{ Origin: serving.origin }, 'action=approve&phase=planning', 'stale or forged'],
        [{ Origin: serving.origin }, 'action=approve&phase=planning&csrf=guess', 'stale or forged'],
      ] as const;
      for (const [headers, form, said] of refusals) {
        const answer = await post(headers, form);
        expect(answer.status, JSON.stringify(headers)).toBe(403);
        expect(await answer.text()).toContain(said);
      }
      const rebound = await get(`${serving.origin}/`, {
        Host: `attacker.example:${new URL(serving.origin).port}`,
      });
      expect(rebound.status).toBe(403);
      // Nothing was recorded: the run still waits for its review.
      const status = cli(['status', runId, '--json', '--workspace', workspace], { cwd: workspace });
      expect(JSON.parse(status.stdout)).toMatchObject({ status: 'halted' });

      // An answer that does not fit is refused with the CLI's own words.
      const empty = await post(
        { Origin: serving.origin },
        `action=reject&phase=planning&feedback=+&csrf=${csrf}`,
      );
      expect(empty.status).toBe(409);
      expect(await empty.text()).toContain('a rejection needs feedback');

      // The same post from the page's own origin, with the CSRF token, is answered (and the run goes on).
      const accepted = await post({ Origin: serving.origin, 'Sec-Fetch-Site': 'same-origin' }, approve);
      expect(accepted.status).toBe(303);
    } finally {
      await serving.stop();
    }
  }, 60_000);
});
