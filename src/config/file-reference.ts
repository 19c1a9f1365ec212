import { readFileSync, type Stats, statSync } from 'node:fs';
import path from 'node:path';
import { decodeUtf8, invalidUtf8Message } from './decode-text.js';
import type { FieldPath } from './field-path.js';
import type { ResolveContext } from './resolve-context.js';

/**
 * Values like `task:` and an agent's `prompt:` are either inline text or the path of a file. A single line that
 * names an existing file is a file; one that looks like a path but names nothing is a mistake worth reporting,
 * not a one-line task.
 */
export function looksLikeFilePath(text: string): boolean {
  return !text.includes('\n') && (/\.(md|txt)$/i.test(text) || /^(\.{1,2}\/|\/)/.test(text));
}

export function isFile(filePath: string): boolean {
  return statOrUndefined(filePath)?.isFile() ?? false;
}

export function isDirectory(directoryPath: string): boolean {
  return statOrUndefined(directoryPath)?.isDirectory() ?? false;
}

/** A long line of inline text tried as a path fails with ENAMETOOLONG, not ENOENT: it is simply not a file. */
function statOrUndefined(candidate: string): Stats | undefined {
  try {
    return statSync(candidate, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Inline text, or the content of the file it names (relative to the config file); undefined after an issue. */
export function readTextOrFile(
  value: string,
  fieldPath: FieldPath,
  context: ResolveContext,
): { text: string; file: string | undefined } | undefined {
  const single = value.trim();
  if (single.includes('\n')) return inlineText(value, fieldPath, context);
  const candidate = path.resolve(context.configDir, single);
  if (!isFile(candidate)) {
    if (!looksLikeFilePath(single)) return inlineText(value, fieldPath, context);
    context.issues.add(fieldPath, `file not found: ${candidate}`, {
      hint: 'paths are relative to the configuration file; write inline text if this is not a path',
    });
    return undefined;
  }
  const text = readText(candidate, fieldPath, context);
  if (text === undefined) return undefined;
  if (text.trim() === '') {
    context.issues.add(fieldPath, `file is empty: ${candidate}`);
    return undefined;
  }
  return { text, file: candidate };
}

/** Every phase's model reads a task or a prompt: a file this large is a mistake (the CLI's TASK argument agrees). */
const MAX_TEXT_FILE_BYTES = 1024 * 1024;

/** Inline text meets the rules of a file: at most 1 MiB, no NUL bytes. */
function inlineText(
  value: string,
  fieldPath: FieldPath,
  context: ResolveContext,
): { text: string; file: undefined } | undefined {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_TEXT_FILE_BYTES) {
    context.issues.add(
      fieldPath,
      `the inline text is ${(bytes / 1024 / 1024).toFixed(1)} MiB; a task or prompt is at most 1 MiB`,
      { hint: 'shorten it, or point at a file of at most 1 MiB' },
    );
    return undefined;
  }
  if (value.includes('\0')) {
    context.issues.add(fieldPath, 'the inline text contains a NUL byte; a task or prompt is text');
    return undefined;
  }
  return { text: value, file: undefined };
}

/** The file's text, or undefined after an issue: unreadable, or not UTF-8 (the position is the file's own). */
function readText(file: string, fieldPath: FieldPath, context: ResolveContext): string | undefined {
  const size = statOrUndefined(file)?.size ?? 0;
  if (size > MAX_TEXT_FILE_BYTES) {
    context.issues.add(
      fieldPath,
      `${file} is ${(size / 1024 / 1024).toFixed(1)} MiB; a task or prompt file is at most 1 MiB`,
    );
    return undefined;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    context.issues.add(fieldPath, `cannot read ${file}: ${(error as Error).message}`);
    return undefined;
  }
  if (bytes.includes(0)) {
    context.issues.add(fieldPath, `${file} is a binary file (it contains NUL bytes), not text`);
    return undefined;
  }
  const decoded = decodeUtf8(bytes);
  if (decoded.ok) return decoded.text;
  const { line, column } = decoded.position;
  context.issues.add(fieldPath, `${file}:${line}:${column} ${invalidUtf8Message(decoded)}`);
  return undefined;
}
