/**
 * `phasewise serve`: the runs of the journal in a browser, live, with the answers to a halted run (see
 * docs/serve.md). Loopback needs no token unless one is asked for; any other address requires one, generated
 * and printed once (or read from the variable `--token-env` names). Runs until Ctrl-C.
 */
import { isIP } from 'node:net';
import { EmptyJournalError, UsageError } from '../../errors/index.js';
import type { Journal } from '../../journal/index.js';
import { type JournalOptions, locateJournal, openJournalFor } from '../journal-choice.js';
import { workersOnSharedJournal } from '../queued-runs.js';
import { newSecret } from '../serve/access.js';
import { createDashboard } from '../serve/dashboard-server.js';
import type { WorkspaceOptions } from '../workspace.js';

export interface ServeOptions extends WorkspaceOptions, JournalOptions {
  host?: string;
  port?: number;
  tokenEnv?: string;
}

export const DEFAULT_SERVE_PORT = 7420;

export async function serveCommand(options: ServeOptions): Promise<number> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopback(host);
  const token = tokenFor(options.tokenEnv, loopback);
  const { workspace, settings } = locateJournal(options);
  let journal: Journal | undefined;
  const openJournal = async (): Promise<Journal | undefined> => {
    if (journal !== undefined) return journal;
    try {
      journal = await openJournalFor(workspace, settings, options, 'read');
    } catch (error) {
      // A workspace whose first run has not started yet, or is setting its journal up at this moment: the page
      // says there are no runs, and looks again.
      if (error instanceof EmptyJournalError) return undefined;
      if (error instanceof UsageError && error.message.startsWith('no runs yet')) return undefined;
      throw error;
    }
    return journal;
  };
  await openJournal();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const { server, feeds } = createDashboard({
    access: { token, csrf: newSecret(), loopback },
    journal: openJournal,
    workers: () => workersOnSharedJournal(settings, options),
    journalOptions: {
      workspace,
      ...(options.config === undefined ? {} : { config: options.config }),
      ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    },
    log,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          `cannot listen on ${host}:${options.port ?? DEFAULT_SERVE_PORT} (${error.code ?? error.message})`,
          {
            hint: 'choose another --port, or --port 0 for any free one',
          },
        ),
      ),
    );
    server.listen(options.port ?? DEFAULT_SERVE_PORT, host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const shown = host.includes(':') ? `[${host}]` : host;
  process.stdout.write(
    `phasewise serve: http://${shown}:${port}/${token === undefined || options.tokenEnv !== undefined ? '' : `?token=${token}`}\n`,
  );
  log(`watching ${journal?.location ?? `${workspace} (no runs yet)`}; Ctrl-C stops`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  feeds.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await journal?.close();
  return 0;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

function tokenFor(tokenEnv: string | undefined, loopback: boolean): string | undefined {
  if (tokenEnv !== undefined) {
    const value = process.env[tokenEnv]?.trim();
    if (value === undefined || value.length < 16) {
      throw new UsageError(`--token-env ${tokenEnv}: the variable holds no token of 16 characters or more`, {
        hint: `set ${tokenEnv} to a long random string (e.g. \`openssl rand -hex 24\`)`,
      });
    }
    return value;
  }
  return loopback ? undefined : newSecret();
}
