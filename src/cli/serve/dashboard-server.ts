/**
 * The dashboard's HTTP server (node:http): every request passes the access rules first, then one of a handful
 * of routes — the runs, one run, its event feed, its report, a review answer, and the two asset files.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isPhasewiseError } from '../../errors/index.js';
import type { Journal } from '../../journal/index.js';
import type { RunWorker } from '../../pool/index.js';
import { buildReport, reportHtml } from '../../report/index.js';
import { fromRecords } from '../journal-records.js';
import { type AccessRules, checkAccess, checkFormOrigin, tokenCookie } from './access.js';
import { answerFromDashboard, type ReviewForm, type ServeJournalOptions } from './answer-review.js';
import { DASHBOARD_SCRIPT, DASHBOARD_STYLE } from './dashboard-assets.js';
import { DASHBOARD_POLICY, errorPage } from './layout.js';
import { RunFeeds } from './run-feeds.js';
import { runPage } from './run-page.js';
import { readSnapshot } from './run-snapshot.js';
import { runsPage } from './runs-page.js';

export interface DashboardOptions {
  access: AccessRules;
  /** The journal, opened on first need (undefined while the workspace has none yet). */
  journal: () => Promise<Journal | undefined>;
  workers: () => Promise<Map<string, RunWorker>>;
  journalOptions: ServeJournalOptions;
  log: (line: string) => void;
}

export interface Dashboard {
  server: Server;
  feeds: RunFeeds;
}

const REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";
const runPath = /^\/runs\/([A-Za-z0-9._-]+)(\/events|\/report|\/review)?$/;

export function createDashboard(options: DashboardOptions): Dashboard {
  const feeds = new RunFeeds({ journal: options.journal, csrf: options.access.csrf });
  const server = createServer((request, response) => {
    handle(request, response, options, feeds).catch((error: unknown) => {
      const known = isPhasewiseError(error);
      if (!known) options.log(`unexpected error: ${(error as Error).message}`);
      const message = known
        ? error.message + (error.hint === undefined ? '' : ` (${error.hint})`)
        : 'unexpected error';
      if (!response.headersSent) send(response, known ? 409 : 500, errorPage(known ? 409 : 500, message));
      else response.end();
    });
  });
  return { server, feeds };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: DashboardOptions,
  feeds: RunFeeds,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://dashboard.invalid');
  const verdict = checkAccess(request, url, options.access);
  if (verdict.kind === 'refused')
    return send(response, verdict.status, errorPage(verdict.status, verdict.message));
  if (verdict.kind === 'token-from-query') {
    response.writeHead(303, { Location: verdict.path, 'Set-Cookie': tokenCookie(options.access.token!) });
    return void response.end();
  }
  if (request.method === 'GET' && url.pathname === '/assets/dashboard.js') {
    return send(response, 200, DASHBOARD_SCRIPT, 'text/javascript');
  }
  if (request.method === 'GET' && url.pathname === '/assets/dashboard.css') {
    return send(response, 200, DASHBOARD_STYLE, 'text/css');
  }
  if (request.method === 'GET' && url.pathname === '/') {
    return send(response, 200, await runsPage(await options.journal(), await options.workers(), Date.now()));
  }
  const match = runPath.exec(url.pathname);
  if (match === null) return send(response, 404, errorPage(404, 'no such page'));
  const [, runId, part] = match as unknown as [string, string, string | undefined];
  if (request.method === 'POST' && part === '/review') return review(request, response, runId, options);
  if (request.method !== 'GET') return send(response, 405, errorPage(405, 'only GET here'));
  const journal = await options.journal();
  const run = await journal?.getRun(runId);
  if (journal === undefined || run === undefined)
    return send(response, 404, errorPage(404, `no run ${runId}`));
  if (part === '/events') {
    const after = Number.parseInt(url.searchParams.get('after') ?? '0', 10);
    return feeds.subscribe(runId, Number.isSafeInteger(after) && after >= 0 ? after : 0, response);
  }
  if (part === '/report') {
    const html = await fromRecords(journal, runId, async () => reportHtml(await buildReport(journal, run)));
    return send(response, 200, html, 'text/html', REPORT_POLICY);
  }
  return send(response, 200, runPage(await readSnapshot(journal, run, options.access.csrf)));
}

async function review(
  request: IncomingMessage,
  response: ServerResponse,
  runId: string,
  options: DashboardOptions,
): Promise<void> {
  const form = new URLSearchParams(await body(request));
  const verdict = checkFormOrigin(request, form.get('csrf') ?? undefined, options.access);
  if (verdict.kind === 'refused')
    return send(response, verdict.status, errorPage(verdict.status, verdict.message));
  const action = form.get('action');
  if (action !== 'approve' && action !== 'reject' && action !== 'abort') {
    return send(response, 400, errorPage(400, 'the form must say approve, reject or abort'));
  }
  const answer: ReviewForm = { action };
  const phase = form.get('phase');
  const feedback = form.get('feedback');
  if (phase !== null && phase !== '') answer.phase = phase;
  if (action === 'reject' && feedback !== null) answer.feedback = feedback;
  const run = await (await options.journal())?.getRun(runId);
  await answerFromDashboard(runId, answer, options.journalOptions, options.log, run?.workspace);
  response.writeHead(303, { Location: `/runs/${encodeURIComponent(runId)}` });
  response.end();
}

const MAX_FORM_BYTES = 64 * 1024;

async function body(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > MAX_FORM_BYTES) throw new Error('form too large');
  }
  return text;
}

function send(
  response: ServerResponse,
  status: number,
  text: string,
  type = 'text/html',
  policy = DASHBOARD_POLICY,
): void {
  response.writeHead(status, {
    'Content-Type': `${type}; charset=utf-8`,
    'Content-Security-Policy': policy,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // Not no-referrer: with it a browser's form post says `Origin: null`, and the origin check refuses it.
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  });
  response.end(text);
}
