/** Deterministic token estimates and ids for the fake LLM server: the same script always yields the same bytes. */
import { createHash } from 'node:crypto';
import type { FakeToolCall } from './fake-llm-script.js';

/** Four characters a token, rounded up: close enough to real tokenizers for budgets and caching rules. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function estimateOutputTokens(text: string, toolCalls: readonly FakeToolCall[]): number {
  const toolChars = toolCalls.reduce(
    (sum, call) => sum + call.name.length + JSON.stringify(call.input ?? {}).length,
    0,
  );
  return Math.max(1, estimateTokens(text) + Math.ceil(toolChars / 4));
}

const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A base58 id shaped like the real ones (`msg_01…`, `toolu_01…`, `req_011C…`, `call_…`), stable per seed. */
export function fakeId(prefix: string, seed: string, length = 24): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let index = 0; out.length < length; index++) out += alphabet[digest[index % digest.length]! % 58];
  return `${prefix}${out}`;
}

/** Splits text into deltas of up to `words` words (leading space kept), as streaming APIs send it. */
export function textPieces(text: string, words = 3): string[] {
  const tokens = text.match(/\s*\S+|\s+$/g) ?? [];
  const pieces: string[] = [];
  for (let index = 0; index < tokens.length; index += words) {
    pieces.push(tokens.slice(index, index + words).join(''));
  }
  return pieces;
}

/** Splits a tool call's JSON arguments into at least two pieces, so clients must join the deltas. */
export function argumentPieces(json: string, size = 16): string[] {
  if (json.length < 2) return [json];
  const pieceSize = Math.min(size, Math.ceil(json.length / 2));
  const pieces: string[] = [];
  for (let start = 0; start < json.length; start += pieceSize)
    pieces.push(json.slice(start, start + pieceSize));
  return pieces;
}
