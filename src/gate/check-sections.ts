/** `sections`: the share of the role's deliverables that appear as Markdown headings in the report. */
export function checkSections(
  output: string,
  required: readonly string[],
): { score: number; message: string; evidence: { missing: string[] } } {
  if (required.length === 0) return { score: 1, message: 'no sections required', evidence: { missing: [] } };
  const headings = new Set(
    output
      .split('\n')
      .map((line) => /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1])
      .filter((heading): heading is string => heading !== undefined)
      .map(normalizeHeading),
  );
  const missing = required.filter((section) => !headings.has(normalizeHeading(section)));
  const score = (required.length - missing.length) / required.length;
  return {
    score,
    message:
      missing.length === 0
        ? `all ${required.length} sections present`
        : `missing section(s): ${missing.map((section) => `"${section}"`).join(', ')}`,
    evidence: { missing },
  };
}

/** Headings match ignoring case, numbering ("2. Architecture") and punctuation. */
export function normalizeHeading(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/^[\d.)\s]+/, '')
    .replace(/\s*\/\s*/g, '/')
    .replace(/[^a-z0-9/]+/g, ' ')
    .trim();
}
