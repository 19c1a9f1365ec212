/**
 * Names git refuses to put in its index, judged one path part at a time, so the tools refuse them before a file
 * exists that would make every later `git add` fail (the phase-end snapshot, then every resume).
 *
 * git (with its default `core.protectNTFS`, and `core.protectHFS` as on macOS) treats as its own directory any
 * part that is `.git` in any case, with trailing dots or spaces (`.git.`, `.git `), with an NTFS stream suffix
 * (`.git::$INDEX_ALLOCATION`, `.git:x`), its 8.3 short name (`git~1`), or `.git` with HFS-ignorable Unicode
 * characters inside; and it splits parts at a backslash as well as at a slash. Control characters are refused
 * too: git accepts some of them, but they break the line-based tools and displays a person reads.
 */

/** Code points HFS+ ignores when comparing names (git's `is_hfs_dotgit` list). */
const HFS_IGNORABLE = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/gu;
/** `.git` or `git~1`, then any trailing dots or spaces, then optionally an NTFS stream (`:…`). */
const GIT_DIRECTORY_ALIAS = /^(?:\.git|git~1)[. ]*(?::.*)?$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export type UnsafeNameReason = 'git-directory' | 'control-character';

/** Why git (or a reader) would refuse one part of `path`, and which part; undefined when every part is fine. */
export function unsafePathPart(path: string): { part: string; reason: UnsafeNameReason } | undefined {
  for (const part of path.split(/[/\\]/)) {
    if (CONTROL_CHARACTER.test(part)) return { part, reason: 'control-character' };
    if (isGitDirectoryAlias(part)) return { part, reason: 'git-directory' };
  }
  return undefined;
}

/** Whether git would read this one path part as `.git` (on any file system it protects). */
export function isGitDirectoryAlias(part: string): boolean {
  return GIT_DIRECTORY_ALIAS.test(part.replace(HFS_IGNORABLE, '').toLowerCase());
}
