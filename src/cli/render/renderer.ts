/**
 * How a run is shown: a live table on a terminal, plain lines when output is piped, one JSON event per line with
 * `--json`. All three are fed the same typed events.
 */
import type { RunEvent } from '../../events/index.js';
import { jsonWithMoney } from '../../util/format.js';

export interface Renderer {
  onEvent(event: RunEvent): void;
  /** Draws the last frame; the live table waits for the run's summary from the journal. */
  close(): void | Promise<void>;
}

/** A renderer whose last frame needs nothing read: closing it is done when it returns. */
export interface ImmediateRenderer {
  onEvent(event: RunEvent): void;
  close(): void;
}

export type RenderMode = 'tty' | 'plain' | 'json';

export function renderMode(
  options: { json?: boolean },
  stream: NodeJS.WriteStream = process.stderr,
): RenderMode {
  if (options.json === true) return 'json';
  return stream.isTTY === true && process.env.CI === undefined && process.env.TERM !== 'dumb'
    ? 'tty'
    : 'plain';
}

/** USD amounts are rounded like every other serialized figure (`jsonWithMoney`); the journal keeps them exact. */
export function jsonRenderer(
  write: (line: string) => void = (line) => process.stdout.write(line),
): ImmediateRenderer {
  return { onEvent: (event) => write(`${jsonWithMoney(event)}\n`), close: () => {} };
}
