/**
 * Output caps. Tools keep their own output under the limit line by line and say how to get the rest; `capText`
 * is the last safeguard applied to every result; `HeadTailBuffer` keeps the beginning and the end of a
 * command's output (where the errors usually are) in bounded memory however much the command prints.
 */
export const DEFAULT_OUTPUT_LIMIT_BYTES = 32 * 1024;

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function truncateToBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const bytes = Buffer.from(text).subarray(0, Math.max(0, maxBytes));
  return bytes.toString('utf8').replace(/\uFFFD$/, '');
}

export function capText(text: string, maxBytes: number): string {
  const total = Buffer.byteLength(text);
  if (total <= maxBytes) return text;
  const note = `\n[output truncated: showing ${maxBytes} of ${total} bytes]`;
  const kept = truncateToBytes(text, Math.max(0, maxBytes - Buffer.byteLength(note)));
  const lastLine = kept.lastIndexOf('\n');
  return (lastLine > kept.length / 2 ? kept.slice(0, lastLine) : kept) + note;
}

/** Collects lines while they fit in a byte budget; counts the ones that did not. */
export class LineBudget {
  readonly lines: string[] = [];
  omitted = 0;
  private used = 0;

  constructor(private readonly maxBytes: number) {}

  /** Adds the line if it fits; returns false once the budget is spent. */
  add(line: string): boolean {
    const size = Buffer.byteLength(line) + 1;
    if (this.omitted > 0 || this.used + size > this.maxBytes) {
      this.omitted++;
      return false;
    }
    this.used += size;
    this.lines.push(line);
    return true;
  }

  get full(): boolean {
    return this.omitted > 0;
  }
}

export function shortenLine(line: string, maxChars: number): string {
  return line.length <= maxChars ? line : `${line.slice(0, maxChars)}… [line cut at ${maxChars} characters]`;
}

/** The first `headBytes` and the last `tailBytes` of a stream, and how many bytes fell in between. */
export class HeadTailBuffer {
  private head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  total = 0;

  constructor(
    private readonly headBytes: number,
    private readonly tailBytes: number,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headSize < this.headBytes) {
      const taken = rest.subarray(0, this.headBytes - this.headSize);
      this.head.push(taken);
      this.headSize += taken.length;
      rest = rest.subarray(taken.length);
    }
    if (rest.length === 0) return;
    this.tail.push(rest);
    this.tailSize += rest.length;
    while (this.tailSize - (this.tail[0]?.length ?? 0) >= this.tailBytes)
      this.tailSize -= this.tail.shift()!.length;
  }

  get omittedBytes(): number {
    return this.total - this.headSize - Math.min(this.tailSize, this.tailBytes);
  }

  /** The text kept; a gap is marked with the number of bytes left out, cut at line boundaries. */
  text(): string {
    const tailBuffer = Buffer.concat(this.tail);
    if (this.omittedBytes === 0) return Buffer.concat([...this.head, tailBuffer]).toString('utf8');
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = tailBuffer.subarray(Math.max(0, tailBuffer.length - this.tailBytes)).toString('utf8');
    const headCut = head.lastIndexOf('\n');
    const tailCut = tail.indexOf('\n');
    const keptHead = headCut > head.length / 2 ? head.slice(0, headCut + 1) : head;
    const keptTail = tailCut !== -1 && tailCut < tail.length / 2 ? tail.slice(tailCut + 1) : tail;
    const omitted = this.total - Buffer.byteLength(keptHead) - Buffer.byteLength(keptTail);
    return `${keptHead}\n[… ${omitted} bytes of output omitted …]\n${keptTail}`;
  }
}
