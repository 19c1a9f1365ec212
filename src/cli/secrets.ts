/**
 * What the CLI hides: everything the redactor recognises by itself, plus the values of every variable the
 * configuration names as holding an API key — whatever that variable is called (`api_key_env: VLLM_SERVER`
 * does not look secret by name). Those variables are also removed from the commands agents run.
 */
import type { ResolvedWorkflow } from '../config/index.js';
import { apiKeyEnvOf } from '../provider/index.js';
import { createRedactor, type Redactor } from '../util/redact.js';
import { redactErrorsWith } from './report-error.js';

type Environment = Record<string, string | undefined>;

function keyVariables(workflow: ResolvedWorkflow): Set<string> {
  const names = Object.values(workflow.providers).map((provider) => apiKeyEnvOf(provider));
  // What MCP servers are given from the environment (tokens, mostly) is as secret as an API key.
  for (const server of Object.values(workflow.mcpServers ?? {})) {
    const values = server.transport === 'stdio' ? server.env : server.headers;
    for (const value of Object.values(values)) if ('fromEnv' in value) names.push(value.fromEnv);
  }
  return new Set(names.filter((name): name is string => name !== undefined));
}

export function cliRedactor(workflow: ResolvedWorkflow, env: Environment = process.env): Redactor {
  const extraSecrets = [...keyVariables(workflow)]
    .map((name) => env[name])
    .filter((value): value is string => value !== undefined && value.trim().length >= 4);
  const redactor = createRedactor({
    env,
    workspace: workflow.workspace,
    // The configuration's own path, which may lie outside the workspace (`-c ci/pw.yaml`), is no secret either.
    ...(workflow.sourceFile === null ? {} : { keep: [workflow.sourceFile] }),
    extraSecrets,
    ...(workflow.redaction === undefined ? {} : { allowPaths: workflow.redaction.allowPaths }),
  });
  // An error printed at the end (reportError) may quote a file named after a `.env` value: hide those too.
  redactErrorsWith(redactor);
  return redactor;
}

/** The environment for `run_command`: the caller's, without the configured API key variables. */
export function commandEnvironment(workflow: ResolvedWorkflow, env: Environment = process.env): Environment {
  const hidden = keyVariables(workflow);
  return Object.fromEntries(Object.entries(env).filter(([name]) => !hidden.has(name)));
}
