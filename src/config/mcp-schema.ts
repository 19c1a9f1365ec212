/**
 * `mcp_servers:` in `phasewise.yaml`: each server a stdio command or a streamable HTTP URL, the values handed to it
 * literal or read from the environment (docs/mcp.md).
 */
import { z } from 'zod';
import { durationField } from './schema-fields.js';

export const envNameField = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected the name of an environment variable' });

/** A value handed to an MCP server: literal text, or an environment variable read when the server starts. */
const mcpValueSchema = z.union(
  [
    z.string(),
    z.strictObject({
      from_env: envNameField,
      prefix: z.string().optional().meta({ description: 'text before the value, such as "Bearer "' }),
    }),
  ],
  { error: 'expected text, or { from_env: VARIABLE } to read it from the environment' },
);

const mcpServerCommon = {
  timeout: durationField('timeout of one tool call').optional(),
  read_only: z
    .boolean()
    .optional()
    .meta({ description: 'every tool of this server only reads (default false)' }),
  read_only_tools: z
    .array(z.string().min(1))
    .optional()
    .meta({ description: 'globs of the tool names that only read, when the server as a whole does not' }),
};

/** One object for both transports, so a mistake is reported against the transport the entry means. */
export const mcpServerSchema = z
  .strictObject({
    command: z.string().min(1).optional().meta({ description: 'a program that serves MCP over stdio' }),
    args: z.array(z.string()).optional().meta({ description: 'its arguments (stdio)' }),
    env: z
      .record(envNameField, mcpValueSchema)
      .optional()
      .meta({ description: 'its environment besides PATH, HOME and the like (stdio)' }),
    cwd: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'the directory it starts in; default the workspace' }),
    url: z
      .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
      .optional()
      .meta({ description: 'a streamable HTTP MCP endpoint' }),
    headers: z
      .record(z.string().min(1), mcpValueSchema)
      .optional()
      .meta({ description: 'sent with every request (HTTP)' }),
    ...mcpServerCommon,
  })
  .superRefine((server, context) => {
    if ((server.command === undefined) === (server.url === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [],
        message: 'expected either `command` (a stdio server) or `url` (a streamable HTTP server)',
      });
    }
    const misplaced = server.url === undefined ? (['headers'] as const) : (['args', 'env', 'cwd'] as const);
    for (const key of misplaced) {
      if (server[key] !== undefined) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `\`${key}\` belongs to ${key === 'headers' ? 'an HTTP server (`url`)' : 'a stdio server (`command`)'}`,
        });
      }
    }
  });
