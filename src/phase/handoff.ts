/** The short part of a phase report that goes into the next phases' prompts (DESIGN §3 "Handoffs stay small"). */
const HANDOFF_HEADING = /^(#{1,6})\s+(?:[\d.)]+\s*)?handoff\b.*$/i;
const MAX_HANDOFF_LINES = 20;
const MAX_HANDOFF_CHARS = 2_000;

export function extractHandoff(report: string): string {
  const lines = report.split('\n');
  const start = lines.findIndex((line) => HANDOFF_HEADING.test(line.trim()));
  let body: string[];
  if (start === -1) {
    body = lines.filter((line) => line.trim() !== '');
  } else {
    const level = HANDOFF_HEADING.exec(lines[start]!.trim())![1]!.length;
    const rest = lines.slice(start + 1);
    const end = rest.findIndex((line) => {
      const heading = /^(#{1,6})\s/.exec(line);
      return heading !== null && heading[1]!.length <= level;
    });
    body = (end === -1 ? rest : rest.slice(0, end)).filter((line) => line.trim() !== '');
  }
  const text = body.slice(0, MAX_HANDOFF_LINES).join('\n');
  return text.length > MAX_HANDOFF_CHARS ? `${text.slice(0, MAX_HANDOFF_CHARS)}…` : text;
}
