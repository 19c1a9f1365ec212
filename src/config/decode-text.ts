/**
 * Configuration, task and prompt files are UTF-8 text. Node's lenient decoding would turn a stray byte into
 * U+FFFD and carry on with a quietly different task; this decoder refuses it and says where it is.
 */
import type { Position } from './yaml-source.js';

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export type DecodedText = { ok: true; text: string } | { ok: false; position: Position; byte: number };

export function decodeUtf8(bytes: Uint8Array): DecodedText {
  try {
    return { ok: true, text: strictDecoder.decode(bytes) };
  } catch {
    const offset = firstInvalidOffset(bytes);
    return { ok: false, position: positionAt(bytes, offset), byte: bytes[offset] ?? 0 };
  }
}

/** The message for a refused file, with the offending byte in hex. */
export function invalidUtf8Message(decoded: Extract<DecodedText, { ok: false }>): string {
  const hex = decoded.byte.toString(16).toUpperCase().padStart(2, '0');
  return `is not valid UTF-8 text (byte 0x${hex}); save it as UTF-8`;
}

/** Where the first malformed sequence starts: fed byte by byte, the decoder throws on the byte that shows it. */
function firstInvalidOffset(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let sequenceStart = 0;
  for (let offset = 0; offset < bytes.length; offset++) {
    try {
      if (decoder.decode(bytes.subarray(offset, offset + 1), { stream: true }) !== '')
        sequenceStart = offset + 1;
    } catch {
      return sequenceStart;
    }
  }
  return sequenceStart; // a sequence cut short by the end of the file
}

/** 1-based line and column (counted in characters of the valid prefix) of a byte offset. */
function positionAt(bytes: Uint8Array, offset: number): Position {
  const before = Buffer.from(bytes.subarray(0, offset)).toString('utf8');
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}
