import { usd } from '../util/format.js';
import { ExitCode, PhasewiseError, type PhasewiseErrorOptions } from './phasewise-error.js';

/**
 * Wrong command-line use or a refused request (missing task, unknown run, ...). A `ConfigError` is one too: a
 * configuration is what the user asked for, and both exit 2.
 */
export class UsageError extends PhasewiseError {
  constructor(message: string, options: PhasewiseErrorOptions = {}, code = 'usage') {
    super(code, message, ExitCode.usage, options);
  }
}

export class ProviderError extends PhasewiseError {
  readonly provider: string;
  readonly model: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  constructor(
    message: string,
    details: { provider: string; model: string; status?: number; retryable: boolean },
    options: PhasewiseErrorOptions = {},
  ) {
    super('provider_error', message, ExitCode.internal, options);
    this.provider = details.provider;
    this.model = details.model;
    this.status = details.status;
    this.retryable = details.retryable;
  }
}

export type BudgetScope = 'run' | 'phase';

export class BudgetExceededError extends PhasewiseError {
  readonly scope: BudgetScope;
  readonly spentUsd: number;
  readonly limitUsd: number;
  readonly phaseId: string | undefined;
  /** Set when the limit is a work item's, inside its fanned-out phase's. */
  readonly item: string | undefined;
  constructor(
    details: {
      scope: BudgetScope;
      spentUsd: number;
      limitUsd: number;
      phaseId?: string;
      item?: string;
      neededUsd?: number;
    },
    options: PhasewiseErrorOptions = {},
  ) {
    const what =
      details.scope === 'run'
        ? 'run budget'
        : details.item === undefined
          ? `cost limit of phase ${details.phaseId}`
          : `cost limit of item ${details.item} of phase ${details.phaseId}`;
    const need =
      details.neededUsd === undefined
        ? ''
        : `; the next call needs up to ${usd(details.neededUsd, { places: 4 })}`;
    super(
      'budget_exceeded',
      `${what} exhausted: spent ${usd(details.spentUsd, { places: 4 })} of ${usd(details.limitUsd, { places: 4 })}${need}`,
      ExitCode.budget,
      options,
    );
    this.scope = details.scope;
    this.spentUsd = details.spentUsd;
    this.limitUsd = details.limitUsd;
    this.phaseId = details.phaseId;
    this.item = details.item;
  }
}

export class PhaseTimeoutError extends PhasewiseError {
  readonly phaseId: string;
  readonly timeoutMs: number;
  constructor(phaseId: string, timeoutMs: number, options: PhasewiseErrorOptions = {}) {
    super(
      'phase_timeout',
      `phase ${phaseId} timed out after ${Math.round(timeoutMs / 1000)}s`,
      ExitCode.timeout,
      options,
    );
    this.phaseId = phaseId;
    this.timeoutMs = timeoutMs;
  }
}

export class RunDeadlineError extends PhasewiseError {
  readonly deadlineMs: number;
  constructor(deadlineMs: number, options: PhasewiseErrorOptions = {}) {
    super(
      'run_deadline',
      `run deadline of ${Math.round(deadlineMs / 1000)}s reached`,
      ExitCode.timeout,
      options,
    );
    this.deadlineMs = deadlineMs;
  }
}

/** Ctrl-C or SIGTERM: the run stopped cleanly and can be resumed. */
export class InterruptedError extends PhasewiseError {
  constructor(options: PhasewiseErrorOptions = {}) {
    super('interrupted', 'interrupted', ExitCode.interrupted, options);
  }
}

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

export class RunLockedError extends PhasewiseError {
  readonly holder: LockHolder;
  /** `alive`: the holder is a live process on this host, whose lock is never broken, even with --break-lock. */
  constructor(runId: string, holder: LockHolder, details: { alive?: boolean } = {}) {
    super(
      'run_locked',
      `run ${runId} is being executed by another process (pid ${holder.pid} on ${holder.host}, since ${holder.since})`,
      ExitCode.usage,
      {
        runId,
        hint:
          details.alive === true
            ? `that process is alive on this host: wait for it to finish, or stop it (kill ${holder.pid}); --break-lock never takes a run from a live process`
            : 'wait for it to finish, or stop that process; a killed holder on this host is detected automatically. ' +
              'If you are sure that process is gone (another host, a container), resume with --break-lock',
      },
    );
    this.holder = holder;
  }
}

/**
 * This process held the run's lock and no longer does: another process took the run over (`--break-lock` from
 * another host). Nothing further of this process is recorded; the other one goes on with the run.
 */
export class RunTakenOverError extends PhasewiseError {
  readonly holder: LockHolder | undefined;
  constructor(runId: string, holder: LockHolder | undefined, doing: string) {
    const by =
      holder === undefined
        ? 'its lock was released by another process'
        : `taken over by pid ${holder.pid} on ${holder.host} (since ${holder.since})`;
    super(
      'run_taken_over',
      `run ${runId} was ${by}; this process stopped before it would ${doing}`,
      ExitCode.usage,
      {
        runId,
        hint: 'the process that holds the run now goes on with it; see where it stands with `phasewise status`',
      },
    );
    this.holder = holder;
  }
}

/** The configuration changed since the run started; resuming would mix two workflows. */
export class ConfigChangedError extends PhasewiseError {
  readonly changes: string[];
  constructor(runId: string, changes: string[]) {
    super(
      'config_changed',
      `the configuration changed since run ${runId} started:\n${changes.map((c) => `  ${c}`).join('\n')}`,
      ExitCode.usage,
      { runId, hint: 'restore the original configuration, or pass --force to resume with the new one' },
    );
    this.changes = changes;
  }
}

/** The journal cannot be read: corrupt, from a newer phasewise, or not a journal. Nothing was changed. */
export class JournalError extends PhasewiseError {
  readonly file: string;
  constructor(file: string, message: string, options: PhasewiseErrorOptions = {}) {
    super('journal_unreadable', `${file}: ${message}`, ExitCode.usage, options);
    this.file = file;
  }
}

/**
 * The journal file exists but holds nothing yet: a run that is setting it up, or a file left empty. A reader that
 * looks again (the dashboard) treats it as a workspace with no runs yet.
 */
export class EmptyJournalError extends JournalError {}
