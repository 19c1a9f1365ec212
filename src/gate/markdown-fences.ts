/**
 * The fenced code blocks of a Markdown text, read line by line as CommonMark does: a fence opens with three or
 * more backticks or tildes (indented at most three spaces) and closes with a line of the same character, at
 * least as long. A fence inside another fence is the outer block's text, not a block of its own, so an example
 * quoted in a ```` ```markdown ```` block is not mistaken for the real thing. An unclosed fence runs to the end.
 */

export interface FencedBlock {
  /** The first word of the info string, lower-cased (`json` for ```` ```JSON title ````); '' when none. */
  language: string;
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
}

const OPENING = /^ {0,3}(`{3,}|~{3,})(.*)$/;

export function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = markdown.split(/\r?\n/);
  let open: { marker: string; language: string; line: number; body: string[] } | undefined;
  lines.forEach((text, index) => {
    if (open === undefined) {
      const match = OPENING.exec(text);
      const marker = match?.[1];
      const info = (match?.[2] ?? '').trim();
      // A backtick fence's info string may not hold a backtick: "```js` inline" is text, not a fence.
      if (marker === undefined || (marker.startsWith('`') && info.includes('`'))) return;
      const language = (info.split(/\s/)[0] ?? '').toLowerCase();
      open = { marker, language, line: index + 1, body: [] };
      return;
    }
    if (closes(text, open.marker)) {
      blocks.push({ language: open.language, text: open.body.join('\n'), line: open.line });
      open = undefined;
      return;
    }
    open.body.push(text);
  });
  if (open !== undefined)
    blocks.push({ language: open.language, text: open.body.join('\n'), line: open.line });
  return blocks;
}

function closes(line: string, marker: string): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  const fence = match?.[1];
  return fence !== undefined && fence[0] === marker[0] && fence.length >= marker.length;
}
