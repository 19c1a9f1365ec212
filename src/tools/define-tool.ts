/**
 * What every workspace tool shares: its input is a zod schema (published as JSON Schema, parsed with messages
 * the model can act on), its workspace root is resolved to a real path once per call, refusals and failures
 * become `{ isError: true }` results, and every output is redacted and capped before it leaves the tool.
 */
import { z } from 'zod';
import type { Permission } from '../config/types.js';
import type { Redactor } from '../util/redact.js';
import { capText } from './output-limit.js';
import {
  type PathIntent,
  resolveWorkspacePath,
  resolveWorkspaceRoot,
  type WorkspacePath,
} from './path-guard.js';
import type { Tool, ToolContext, ToolResult } from './tool.js';
import { ToolRefusal } from './tool-refusal.js';

export interface ToolSettings {
  outputLimitBytes: number;
  redactor: Redactor | undefined;
  /** Test seam: runs after a path passed the guard and before the tool opens it (to stage a swap race). */
  afterPathCheck: ((path: WorkspacePath) => void | Promise<void>) | undefined;
  /** The configuration files that govern the run (absolute paths), which no tool may change. */
  protectedFiles?: readonly string[] | undefined;
}

export interface ToolCall {
  /** Real path of the workspace. */
  root: string;
  abortSignal: AbortSignal;
  settings: ToolSettings;
  /** The governing files of this call's workspace: the context's, else the tool's own. */
  protectedFiles: readonly string[];
  /** Resolves a model-supplied path through the guard (refusing escapes). */
  resolvePath(input: string, intent: PathIntent): Promise<WorkspacePath>;
}

export interface ToolDefinition<Schema extends z.ZodType> {
  name: string;
  description: string;
  permission: Permission;
  input: Schema;
  run(input: z.output<Schema>, call: ToolCall): Promise<string | ToolResult>;
}

export function defineTool<Schema extends z.ZodType>(
  definition: ToolDefinition<Schema>,
  settings: ToolSettings,
): Tool {
  const finish = (result: ToolResult): ToolResult => {
    const output = settings.redactor === undefined ? result.output : settings.redactor.redact(result.output);
    return {
      output: capText(output, settings.outputLimitBytes),
      isError: result.isError,
      ...(result.restored === undefined || result.restored.length === 0 ? {} : { restored: result.restored }),
    };
  };
  return {
    name: definition.name,
    description: definition.description,
    permission: definition.permission,
    // Built when a phase first offers the tool (a run's start builds only its first phase's; issue 21).
    get inputSchema() {
      return inputJsonSchema(definition.input);
    },
    async execute(input: unknown, context: ToolContext): Promise<ToolResult> {
      const parsed = definition.input.safeParse(input ?? {});
      if (!parsed.success)
        return finish({ output: describeInvalidInput(definition.name, parsed.error), isError: true });
      let root = context.workspace;
      try {
        root = await resolveWorkspaceRoot(context.workspace);
        const protectedFiles = context.protectedFiles ?? settings.protectedFiles ?? [];
        const call: ToolCall = {
          root,
          abortSignal: context.abortSignal,
          settings,
          protectedFiles,
          resolvePath: async (path, intent) => {
            const resolved = await resolveWorkspacePath(root, path, intent, protectedFiles);
            await settings.afterPathCheck?.(resolved);
            return resolved;
          },
        };
        const result = await definition.run(parsed.data, call);
        return finish(typeof result === 'string' ? { output: result, isError: false } : result);
      } catch (error) {
        return finish({ output: describeFailure(definition.name, error, context, root), isError: true });
      }
    },
  };
}

/** By schema: the tools' schemas are constants, and every run builds its tools again. Never changed once made. */
const publishedSchemas = new WeakMap<z.ZodType, Readonly<Record<string, unknown>>>();

function inputJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const published = publishedSchemas.get(schema);
  if (published !== undefined) return published;
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, { io: 'input' }) as Record<
    string,
    unknown
  >;
  publishedSchemas.set(schema, jsonSchema);
  return jsonSchema;
}

function describeInvalidInput(name: string, error: z.ZodError): string {
  const problems = error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`);
  return `invalid input for ${name}: ${problems.join('; ')}`;
}

function describeFailure(name: string, error: unknown, context: ToolContext, root: string): string {
  if (error instanceof ToolRefusal) return error.message;
  if (context.abortSignal.aborted) return `${name} was stopped: the phase was aborted`;
  // System messages name absolute paths; the model works with paths relative to the workspace.
  const message = error instanceof Error ? error.message : String(error);
  return `${name} failed: ${message.replaceAll(root, '.').replaceAll(context.workspace, '.')}`;
}
