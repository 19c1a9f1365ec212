/** Text that came from files, model output or tools, fenced as data so it cannot pose as instructions. */

/** A tilde fence longer than any run of tildes in the text, so the text cannot close it early. */
export function fenceData(label: string, text: string): string {
  const longest = Math.max(0, ...(text.match(/~+/g) ?? []).map((run) => run.length));
  const marker = '~'.repeat(Math.max(4, longest + 1));
  return `${marker} ${label}\n${text.trim()}\n${marker}`;
}
