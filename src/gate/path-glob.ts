/**
 * Matching workspace paths (relative, `/`-separated) against the globs of `allowed_paths`: `*` and `?` within
 * one segment, `**` across segments, `{a,b}` alternatives, `[abc]` classes. A pattern without wildcards also
 * matches everything below it, so `src` and `src/` both mean the whole directory.
 */
export function globToRegExp(pattern: string): RegExp {
  const normalized = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  let source = '';
  let braces = 0;
  for (let index = 0; index < normalized.length; index++) {
    const char = normalized[index] as string;
    if (char === '*') {
      const double = normalized[index + 1] === '*';
      if (double) {
        index++;
        const slashAfter = normalized[index + 1] === '/';
        if (slashAfter) index++;
        source += slashAfter ? '(?:.*/)?' : '.*';
      } else {
        source += '[^/]*';
      }
    } else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = normalized.indexOf(']', index + 1);
      if (end < 0) source += '\\[';
      else {
        const body = normalized
          .slice(index + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        index = end;
      }
    } else if (char === '{') {
      braces++;
      source += '(?:';
    } else if (char === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (char === ',' && braces > 0) source += '|';
    else source += char.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  const literal = !/[*?[{]/.test(normalized);
  return new RegExp(`^${source}${literal ? '(?:/.*)?' : ''}$`);
}

export function matchesAnyGlob(file: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => globToRegExp(pattern).test(file));
}
