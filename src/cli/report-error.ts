/**
 * Any error that reaches the top: one clear message and the right exit code; a stack only when debugging. The
 * text is redacted: a message may quote what the user wrote (a key pasted where a tier or model name belongs),
 * and stderr ends up in CI logs.
 */
import pc from 'picocolors';
import { ExitCode, isPhasewiseError } from '../errors/index.js';
import { createRedactor, type Redactor } from '../util/redact.js';
import { asInvoked } from './invocation.js';

let workspaceRedactor: Redactor | undefined;

/**
 * The redactor of the workspace a command loaded (it knows the `.env` values and the configured keys, which the
 * environment alone does not): errors that reach the top afterwards are redacted with it too. Set by
 * `cliRedactor`, so every command that builds one is covered.
 */
export function redactErrorsWith(redactor: Redactor | undefined): void {
  workspaceRedactor = redactor;
}

export function reportError(
  error: unknown,
  write: (text: string) => void = (text) => process.stderr.write(text),
): number {
  const fromEnvironment = createRedactor({ env: process.env });
  const redact = (text: string) => {
    const redacted = fromEnvironment.redact(text);
    return workspaceRedactor === undefined ? redacted : workspaceRedactor.redact(redacted);
  };
  return reportRedacted(error, (text) => write(asInvoked(redact(text))));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * A message can quote what the user wrote (a key, a file name): a NUL, a carriage return or an escape sequence in
 * it is shown escaped, never sent to the terminal as it is. Newlines and tabs stay.
 */
function printable(text: string): string {
  return text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function reportRedacted(error: unknown, write: (text: string) => void): number {
  if (isPhasewiseError(error)) {
    const hint = error.hint === undefined ? '' : `\n${pc.dim('hint:')} ${printable(error.hint)}`;
    write(`${pc.red('phasewise: error:')} ${printable(error.message)}${hint}\n`);
    return error.exitCode;
  }
  const message = printable(error instanceof Error ? error.message : String(error));
  write(`${pc.red('phasewise: internal error:')} ${message}\n`);
  if (process.env.PHASEWISE_DEBUG === '1' && error instanceof Error && error.stack !== undefined)
    write(`${error.stack}\n`);
  else write(pc.dim('this is a bug in phasewise; set PHASEWISE_DEBUG=1 to see where it happened\n'));
  return ExitCode.internal;
}
