/**
 * Server-sent events for the runs being watched: ONE reader per run, shared by every browser watching it, looks
 * at the journal (the run record and its events) every `intervalMs` and, when anything moved, renders the run's
 * fragments once and sends them, with the new event lines, to every client. No client reads the database; the
 * reader stops when the run's last client leaves.
 */
import type { ServerResponse } from 'node:http';
import type { Journal } from '../../journal/index.js';
import { stateMessage } from './run-fragments.js';
import { type LogLine, readSnapshot } from './run-snapshot.js';

/** About 15 s at the default interval. */
const KEEP_ALIVE_LOOKS = 40;

interface Feed {
  /** Each client with the number of event lines it has. */
  clients: Map<ServerResponse, number>;
  /** The latest read: its event lines and its state message (sent again to a client who joins). */
  last: { log: LogLine[]; state: string } | undefined;
  /** The run record's `updatedAt`, status and events count last seen: a change renders again. */
  seen: string;
  timer: NodeJS.Timeout;
  reading: boolean;
  /** Looks since anything was written: a quiet stream gets a comment now and then, so proxies keep it open. */
  quiet: number;
}

export interface RunFeedsOptions {
  journal: () => Promise<Journal | undefined>;
  csrf: string;
  intervalMs?: number;
}

export class RunFeeds {
  readonly #feeds = new Map<string, Feed>();
  readonly #options: RunFeedsOptions;

  constructor(options: RunFeedsOptions) {
    this.#options = options;
  }

  /** Streams a run to `response`, from its event number `after` (what the page already shows). */
  subscribe(runId: string, after: number, response: ServerResponse): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    response.write('retry: 2000\n\n');
    let feed = this.#feeds.get(runId);
    if (feed === undefined) {
      feed = {
        clients: new Map(),
        last: undefined,
        seen: '',
        reading: false,
        quiet: 0,
        timer: undefined as never,
      };
      const created = feed;
      created.timer = setInterval(() => void this.#read(runId, created), this.#options.intervalMs ?? 400);
      this.#feeds.set(runId, feed);
    }
    feed.clients.set(response, after);
    response.on('close', () => this.#leave(runId, response));
    if (feed.last !== undefined) send(feed, response, feed.last);
    else void this.#read(runId, feed);
  }

  /** How many readers there are (one per watched run, whatever the number of clients). */
  get readers(): number {
    return this.#feeds.size;
  }

  close(): void {
    for (const [runId, feed] of this.#feeds) {
      for (const client of feed.clients.keys()) client.end();
      clearInterval(feed.timer);
      this.#feeds.delete(runId);
    }
  }

  #leave(runId: string, response: ServerResponse): void {
    const feed = this.#feeds.get(runId);
    if (feed === undefined) return;
    feed.clients.delete(response);
    if (feed.clients.size === 0) {
      clearInterval(feed.timer);
      this.#feeds.delete(runId);
    }
  }

  async #read(runId: string, feed: Feed): Promise<void> {
    if (feed.reading) return;
    feed.reading = true;
    try {
      const journal = await this.#options.journal();
      const run = await journal?.getRun(runId);
      if (journal === undefined || run === undefined) return;
      const snapshot = await readSnapshot(journal, run, this.#options.csrf);
      const seen = `${run.updatedAt} ${snapshot.status} ${snapshot.log.length}`;
      if (seen === feed.seen) {
        feed.quiet += 1;
        if (feed.quiet % KEEP_ALIVE_LOOKS === 0)
          for (const client of feed.clients.keys()) client.write(': quiet\n\n');
        return;
      }
      feed.quiet = 0;
      feed.seen = seen;
      const state = `event: state\ndata: ${stateMessage(snapshot.status, snapshot.fragments)}\n\n`;
      feed.last = { log: snapshot.log, state };
      for (const client of feed.clients.keys()) send(feed, client, feed.last);
    } catch (error) {
      const text = `event: problem\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`;
      for (const client of feed.clients.keys()) client.write(text);
    } finally {
      feed.reading = false;
    }
  }
}

/** The lines a client does not have yet, then the state. */
function send(feed: Feed, client: ServerResponse, last: { log: LogLine[]; state: string }): void {
  const from = feed.clients.get(client) ?? 0;
  const lines = last.log.slice(from).map((line) => `event: log\ndata: ${JSON.stringify(line)}\n\n`);
  feed.clients.set(client, Math.max(from, last.log.length));
  client.write(`${lines.join('')}${last.state}`);
}
