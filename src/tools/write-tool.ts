/**
 * `write`: creates or replaces a whole file (parent directories are created inside the workspace). Never into
 * .git/ or .phasewise/. A file that holds secrets is not overwritten with content carrying a `[REDACTED]`
 * placeholder: the model only ever saw the placeholder, and writing it back would destroy the real value; nor is
 * any file given a placeholder it did not already hold (redaction-marker-guard.ts).
 */
import { z } from 'zod';
import { REDACTED_MARKER_PREFIX } from '../util/redact.js';
import { writeCheckedFile } from './checked-write.js';
import { defineTool, type ToolCall, type ToolSettings } from './define-tool.js';
import { quote, type WorkspacePath } from './path-guard.js';
import { refuseNewRedactionMarkers } from './redaction-marker-guard.js';
import { ToolRefusal } from './tool-refusal.js';
import { openCheckedFile } from './verified-open.js';

const writeInput = z.object({
  path: z.string().min(1).describe('File to write, relative to the workspace root'),
  content: z.string().describe('The complete new content of the file'),
});

export function createWriteTool(settings: ToolSettings) {
  return defineTool(
    {
      name: 'write',
      description:
        'Create a file or replace its whole content (missing parent directories are created). To change part ' +
        'of an existing file, prefer edit.',
      permission: 'write',
      input: writeInput,
      run: async (input, call) => {
        const path = await call.resolvePath(input.path, 'write');
        await refuseSecretLoss(path, input.content, call);
        if (input.content.includes(REDACTED_MARKER_PREFIX)) {
          refuseNewRedactionMarkers(path.input, await currentContent(path), input.content);
        }
        const { created, bytes } = await writeCheckedFile(path, input.content);
        return `${created ? 'created' : 'overwrote'} ${path.relative} (${bytes} bytes)`;
      },
    },
    settings,
  );
}

async function refuseSecretLoss(path: WorkspacePath, content: string, call: ToolCall): Promise<void> {
  const redactor = call.settings.redactor;
  if (redactor === undefined || path.kind !== 'file' || !content.includes(REDACTED_MARKER_PREFIX)) return;
  const current = await currentContent(path);
  if (redactor.redact(current) !== current) {
    throw new ToolRefusal(
      `${quote(path.input)} holds secret values that were shown to you as [REDACTED]; writing the placeholder ` +
        `back would destroy them. Change the file with edit, choosing old text that does not include a ` +
        `[REDACTED] placeholder`,
    );
  }
}

async function currentContent(path: WorkspacePath): Promise<string> {
  if (path.kind !== 'file') return '';
  const handle = await openCheckedFile(path);
  return handle.readFile('utf8').finally(() => handle.close());
}
