/**
 * The journaled forms of the tools' results (a tool call, the workspace snapshot a phase takes, the windows in
 * which it could change files): a replay is checked against them (journal/step-schema). Typed by the types they
 * describe, so the compiler keeps the two together.
 */
import { z } from 'zod';
import type { ChangeWindow } from './change-windows.js';
import type { RestoredPath } from './governing-fingerprint.js';
import type { ToolResult } from './tool.js';
import type { WorkspaceSnapshot } from './workspace-snapshot.js';

export const changeWindowSchema: z.ZodType<ChangeWindow> = z.looseObject({
  startMs: z.number(),
  endMs: z.number(),
});

const restoredPathSchema: z.ZodType<RestoredPath> = z.looseObject({
  path: z.string(),
  action: z.enum(['restored', 'removed']),
});

export const toolResultSchema: z.ZodType<ToolResult> = z.looseObject({
  output: z.string(),
  isError: z.boolean(),
  restored: z.array(restoredPathSchema).optional(),
});

export const workspaceSnapshotSchema: z.ZodType<WorkspaceSnapshot> = z.discriminatedUnion('kind', [
  z.looseObject({ version: z.literal(1), kind: z.literal('git'), tree: z.string(), prefix: z.string() }),
  z.looseObject({ version: z.literal(1), kind: z.literal('files'), files: z.record(z.string(), z.string()) }),
]);
