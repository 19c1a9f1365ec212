/**
 * Claude Code's Bash inside phasewise's command sandbox. Claude Code runs Bash commands itself, so the
 * PreToolUse hook rewrites each one into the argv `run_command` uses (`tools/sandbox.ts`): bwrap with the
 * workspace read-write, system and toolchains read-only, nothing else, the governing files and every `.git`
 * read-only (`protected-mounts.ts`), and an environment of its own (`env -i`, credentials removed as for
 * `run_command`). Claude Code's own sandbox is then switched off: bwrap cannot be nested in it, and it lets
 * commands read the whole machine and write the configuration in the workspace.
 *
 * After a command (PostToolUse) the empty mount points left for missing governing names are removed, and so is a
 * `.git` the command created, once no other command of the session is running. Background commands are off for
 * the session (session-process.ts) and refused here too: their hook would fire while they still run, and the
 * cleanup would lift their protection.
 */
import { realpathSync } from 'node:fs';
import type { SandboxSettings } from '../../config/types.js';
import { commandEnvironment } from '../../tools/command-env.js';
import { cleanupMasks, gitDirectories } from '../../tools/protected-mounts.js';
import {
  DEFAULT_SANDBOX,
  probeSandbox,
  removeNewGitDirectories,
  sandboxCommand,
  shellQuote,
} from '../../tools/sandbox.js';
import { findOnPath } from '../../tools/sandbox-probe.js';
import { ToolRefusal } from '../../tools/tool-refusal.js';

export type BashRewrite = { input: Record<string, unknown> } | { refusal: string };

/** Whether a session's Bash runs in phasewise's sandbox: not `sandbox: none`, and bubblewrap works here. */
export function bashSandboxApplies(settings: SandboxSettings | undefined): boolean {
  return (settings ?? DEFAULT_SANDBOX).mode !== 'none' && probeSandbox().available;
}

export class BashSandbox {
  private readonly settings: SandboxSettings;
  private readonly root: string;
  private readonly running = new Set<string>();
  private masks: string[] = [];
  /** The git directories that existed when the first of the running commands started. */
  private gitBefore: ReadonlySet<string> | undefined;

  constructor(
    private readonly options: {
      workspace: string;
      env: Record<string, string | undefined>;
      settings: SandboxSettings | undefined;
    },
  ) {
    this.settings = options.settings ?? DEFAULT_SANDBOX;
    this.root = realpathSync(options.workspace);
  }

  /** The Bash input to run instead of `input`, or why it may not run. */
  rewrite(callId: string, input: unknown): BashRewrite {
    const fields = { ...((input ?? {}) as Record<string, unknown>) };
    if (typeof fields.command !== 'string' || fields.command.trim() === '') {
      return { refusal: 'command must be a shell command' };
    }
    if (fields.run_in_background === true) {
      return {
        refusal:
          'background commands are not available here; run it in the foreground (whatever it leaves ' +
          'running is stopped when it exits)',
      };
    }
    let wrapped: ReturnType<typeof sandboxCommand>;
    try {
      wrapped = sandboxCommand(
        {
          command: fields.command,
          cwd: this.root,
          workspace: this.root,
          env: commandEnvironment(this.options.env),
          protectedFiles: this.settings.protectedFiles,
        },
        { ...this.settings, mode: 'bubblewrap' },
      );
    } catch (error) {
      if (error instanceof ToolRefusal) return { refusal: error.message };
      throw error;
    }
    if (this.running.size === 0) this.gitBefore = new Set(gitDirectories(this.root));
    this.running.add(callId);
    this.masks.push(...wrapped.masks);
    // An absolute `env`: Claude Code's shell sources the user's shell setup, which may define one.
    const env = findOnPath('env', '/usr/bin:/bin') ?? 'env';
    const assignments = Object.entries(wrapped.env).map(([name, value]) => `${name}=${value}`);
    const words = [env, '-i', ...assignments, ...wrapped.argv];
    // Claude Code's own sandbox is off for this session; the flag would mean nothing, so it is dropped.
    delete fields.dangerouslyDisableSandbox;
    return { input: { ...fields, command: words.map(shellQuote).join(' ') } };
  }

  /** A command ended (or failed): tidy up once none is running. */
  ended(callId: string): void {
    if (!this.running.delete(callId) || this.running.size > 0) return;
    this.tidy();
  }

  /** The session ended: tidy up whatever is left, running or not (its commands died with Claude Code). */
  close(): void {
    this.running.clear();
    this.tidy();
  }

  private tidy(): void {
    cleanupMasks(this.masks);
    this.masks = [];
    if (this.gitBefore !== undefined) removeNewGitDirectories(this.root, this.gitBefore);
    this.gitBefore = undefined;
  }
}
