/**
 * The environment a command runs with: the parent's (PATH, HOME, locale, toolchains) minus every variable whose
 * name looks like a credential, so a command — or a test it runs — cannot print or send the user's keys.
 */
import { looksSecretName } from '../util/redact.js';

export function commandEnvironment(base: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !looksSecretName(name)) env[name] = value;
  }
  // Nothing may wait for a password prompt that no one will answer.
  env.GIT_TERMINAL_PROMPT = '0';
  return env;
}
