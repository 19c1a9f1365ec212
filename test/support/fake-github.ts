/**
 * A fake GitHub REST API on 127.0.0.1 for `phasewise pr` and the Action: the repository (its default branch),
 * pull requests (list by head, create, update) and issue comments, kept in memory. Every request is recorded
 * (method, path, query, JSON body, Authorization header) so tests can check what was sent; `failWith` makes the
 * next calls answer an error status with GitHub's error shape.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
  authorization: string | undefined;
}

export interface FakePull {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
}

export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  pulls: FakePull[];
  comments: { issue: number; body: string }[];
  /** Answer every later request with this status and message (undefined: stop failing). */
  failWith(failure: { status: number; message: string } | undefined): void;
  close(): Promise<void>;
}

export async function startFakeGitHub(options: {
  owner: string;
  repo: string;
  defaultBranch?: string;
}): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const pulls: FakePull[] = [];
  const comments: { issue: number; body: string }[] = [];
  let failure: { status: number; message: string } | undefined;
  const prefix = `/repos/${options.owner}/${options.repo}`;
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = await jsonBody(request);
    requests.push({
      method: request.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      body,
      authorization: request.headers.authorization,
    });
    const reply = (status: number, value: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    const pullJson = (pull: FakePull) => ({
      number: pull.number,
      html_url: `https://github.example/${options.owner}/${options.repo}/pull/${pull.number}`,
      head: { ref: pull.head },
      base: { ref: pull.base },
      title: pull.title,
      body: pull.body,
      state: pull.state,
    });
    if (failure !== undefined)
      return reply(failure.status, {
        message: failure.message,
        documentation_url: 'https://docs.github.com/rest',
      });
    const path = url.pathname;
    if (request.method === 'GET' && path === prefix)
      return reply(200, { default_branch: options.defaultBranch ?? 'main' });
    if (request.method === 'GET' && path === `${prefix}/pulls`) {
      const head = url.searchParams.get('head');
      const open = pulls.filter(
        (pull) => pull.state === 'open' && (head === null || `${options.owner}:${pull.head}` === head),
      );
      return reply(200, open.map(pullJson));
    }
    if (request.method === 'POST' && path === `${prefix}/pulls`) {
      const pull: FakePull = {
        number: pulls.length + comments.length + 1,
        head: String(body?.head),
        base: String(body?.base),
        title: String(body?.title),
        body: String(body?.body),
        state: 'open',
      };
      pulls.push(pull);
      return reply(201, pullJson(pull));
    }
    const update = new RegExp(`^${prefix}/pulls/(\\d+)$`).exec(path);
    if (request.method === 'PATCH' && update !== null) {
      const pull = pulls.find((entry) => entry.number === Number(update[1]));
      if (pull === undefined) return reply(404, { message: 'Not Found' });
      Object.assign(pull, {
        title: String(body?.title ?? pull.title),
        body: String(body?.body ?? pull.body),
      });
      return reply(200, pullJson(pull));
    }
    const comment = new RegExp(`^${prefix}/issues/(\\d+)/comments$`).exec(path);
    if (request.method === 'POST' && comment !== null) {
      comments.push({ issue: Number(comment[1]), body: String(body?.body) });
      return reply(201, { id: comments.length, html_url: `https://github.example/c/${comments.length}` });
    }
    return reply(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    pulls,
    comments,
    failWith: (next) => {
      failure = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function jsonBody(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
}
