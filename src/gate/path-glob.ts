/**
 * Matching workspace paths (relative, `/`-separated) against the globs of `allowed_paths`, with picomatch: `*`
 * and `?` within one segment, `**` across segments, `{a,b}` alternatives, `[abc]` and `[!abc]` classes; dot files
 * match like any other. A pattern without wildcards also matches everything below it, so `src` and `src/` both
 * mean the whole directory.
 */
import picomatch from 'picomatch';

const OPTIONS: picomatch.PicomatchOptions = { dot: true, noextglob: true, nonegate: true };

/**
 * Parentheses, `|`, `+`, `^` and `$` are literal in a path (`a+b.(c)`), not regex groups; `[!…]` is a negated
 * class, as in a shell.
 */
function literalPunctuation(pattern: string): string {
  return pattern.replace(/[()|+^$]/g, '\\$&').replace(/\[!/g, '[^');
}

export function globToRegExp(pattern: string): RegExp {
  const normalized = literalPunctuation(pattern.replace(/^\.\//, '').replace(/\/+$/, ''));
  const literal = !/[*?[{]/.test(normalized);
  return picomatch.makeRe(literal ? `${normalized}{,/**}` : normalized, OPTIONS);
}

export function matchesAnyGlob(file: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => globToRegExp(pattern).test(file));
}
