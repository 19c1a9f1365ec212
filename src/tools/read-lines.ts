/**
 * A text file's lines, numbered, from `offset` for `limit` lines within a byte budget, for the read tool. A file
 * of up to `WHOLE_FILE_BYTES` is read in one call and split here; a larger one is streamed, so it costs only the
 * lines shown (and, up to `COUNT_ALL_BYTES`, a pass that counts its lines). Both split lines as node:readline
 * does: at `\n`, `\r\n` or a lone `\r`, with no empty line after a final line ending.
 */
import { createReadStream, read, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { LineBudget, shortenLine } from './output-limit.js';
import type { OpenedFile } from './verified-open.js';

const MAX_LINE_CHARS = 2_000;
/** Binary files are told apart by a NUL byte in this many first bytes. */
export const SNIFF_BYTES = 8_192;
/** Up to this size a file is read whole, in one call. */
export const WHOLE_FILE_BYTES = 1024 * 1024;
/** Up to this size the whole file is scanned so the output can name its line count. */
const COUNT_ALL_BYTES = 4 * 1024 * 1024;
const LINE_END = /\r?\n|\r(?!\n)/;

export interface LineOptions {
  offset: number;
  limit: number;
  maxBytes: number;
  /** Runs on each whole line BEFORE it is shortened: a secret cut in half would no longer be recognised. */
  redact: (line: string) => string;
  /** Refuses a file whose first bytes (up to `SNIFF_BYTES`) are not text, by throwing. */
  refuseBinary: (head: Buffer) => void;
  /** Files larger than this are streamed (tests lower it to compare both ways). */
  wholeFileBytes?: number;
}

export async function readNumberedLines(file: OpenedFile, options: LineOptions): Promise<string> {
  if (file.size === 0) return '(empty file)';
  const whole = file.size <= (options.wholeFileBytes ?? WHOLE_FILE_BYTES) ? readWhole(file) : undefined;
  if (whole === undefined) return streamLines(file, options);
  options.refuseBinary(whole.subarray(0, SNIFF_BYTES));
  const lines = whole.toString('utf8').split(LINE_END);
  if (lines.at(-1) === '') lines.pop();
  const shown = new NumberedLines(options);
  for (const line of lines) shown.add(line);
  return shown.text(false);
}

/** The file's bytes, or `undefined` when it grew past the size it had when opened (it is streamed then). */
function readWhole({ fd, size }: OpenedFile): Buffer | undefined {
  const buffer = Buffer.allocUnsafe(size + 1);
  let filled = 0;
  while (filled < buffer.length) {
    const read = readSync(fd, buffer, filled, buffer.length - filled, filled);
    if (read === 0) break;
    filled += read;
  }
  return filled > size ? undefined : buffer.subarray(0, filled);
}

async function streamLines(file: OpenedFile, options: LineOptions): Promise<string> {
  const head = Buffer.alloc(SNIFF_BYTES);
  options.refuseBinary(head.subarray(0, readSync(file.fd, head, 0, SNIFF_BYTES, 0)));
  const large = file.size > COUNT_ALL_BYTES;
  const shown = new NumberedLines(options);
  const stream = createReadStream('', {
    fd: file.fd,
    // The descriptor is the caller's to close: a destroyed stream would otherwise close it too, later.
    fs: { read, close: (_fd: number, done: (error: NodeJS.ErrnoException | null) => void) => done(null) },
    start: 0,
    encoding: 'utf8',
    autoClose: false,
  });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (!shown.add(line) && large) break;
    }
  } finally {
    lines.close();
    // Answered once no read of the stream is left in flight: the caller closes the descriptor next.
    if (!stream.closed) await new Promise<void>((resolve) => stream.destroy().once('close', () => resolve()));
  }
  return shown.text(large);
}

/** Numbers the lines it is given and keeps those asked for, while they fit. */
class NumberedLines {
  readonly #budget: LineBudget;
  readonly #options: LineOptions;
  readonly #last: number;
  #lineNumber = 0;
  #lastShown = 0;
  #more = false;

  constructor(options: LineOptions) {
    this.#options = options;
    this.#budget = new LineBudget(options.maxBytes);
    this.#last = options.offset + options.limit - 1;
  }

  /** Takes the next line; false once no later line can be shown (only counting is left). */
  add(line: string): boolean {
    const number = ++this.#lineNumber;
    if (number < this.#options.offset) return true;
    if (number > this.#last || this.#budget.full) {
      this.#more = true;
      return false;
    }
    const shown = `${String(number).padStart(6)}\t${shortenLine(this.#options.redact(line), MAX_LINE_CHARS)}`;
    if (this.#budget.add(shown)) this.#lastShown = number;
    else this.#more = true;
    return true;
  }

  /** The lines shown, and where to continue when there is more; `uncounted` when the reading stopped early. */
  text(uncounted: boolean): string {
    const { offset } = this.#options;
    const lastShown = this.#lastShown;
    const counted = this.#more && uncounted ? 'a longer file' : `${this.#lineNumber} lines`;
    if (lastShown === 0) return `the file has ${this.#lineNumber} lines; offset ${offset} is past its end`;
    if (!this.#more) return this.#budget.lines.join('\n');
    const why = this.#budget.full ? 'output limit reached' : 'line limit reached';
    return `${this.#budget.lines.join('\n')}\n[${why}: showed lines ${offset}–${lastShown} of ${counted}; continue with offset=${lastShown + 1}]`;
  }
}
