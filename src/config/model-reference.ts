import { closestMatch } from './did-you-mean.js';
import type { FieldPath } from './field-path.js';
import type { IssueCollector } from './issue-collector.js';
import type { ProviderConfig } from './types.js';

/**
 * A check of each `provider:model` the configuration names, beyond its provider being known — that the model has
 * a price, for one. The composition root supplies it (the configuration knows no price table); what it finds is
 * reported at the place the model is named, with every other problem of the file.
 */
export type ModelCheck = (
  provider: ProviderConfig,
  modelId: string,
) => { message: string; hint?: string } | undefined;

/** Checks one `provider:model` named at `at`, reporting what is wrong with it there. */
export type ModelReferenceCheck = (reference: string, at: FieldPath) => void;

export function modelReferenceCheck(
  providers: Readonly<Record<string, ProviderConfig>>,
  issues: IssueCollector,
  checkModel: ModelCheck | undefined,
): ModelReferenceCheck {
  const providerNames = Object.keys(providers);
  return (reference, at) => {
    if (!checkModelProvider(reference, at, providerNames, issues)) return;
    const provider = providerOf(reference);
    const problem = checkModel?.(providers[provider]!, reference.slice(provider.length + 1));
    if (problem !== undefined) issues.add(at, problem.message, { hint: problem.hint });
  };
}

/** `ollama:llama3:8b` → provider `ollama`, model `llama3:8b`: only the first colon separates them. */
export function providerOf(reference: string): string {
  return reference.slice(0, reference.indexOf(':'));
}

/**
 * Reports a `provider:model` whose provider is neither built in nor declared under `models.providers`; true when
 * the provider is known.
 */
function checkModelProvider(
  reference: string,
  fieldPath: FieldPath,
  providerNames: readonly string[],
  issues: IssueCollector,
): boolean {
  const provider = providerOf(reference);
  if (providerNames.includes(provider)) return true;
  const close = closestMatch(provider, providerNames);
  issues.add(fieldPath, `unknown provider \`${provider}\` in \`${reference}\``, {
    hint:
      close === undefined
        ? `known providers: ${providerNames.join(', ')}; declare others under models.providers`
        : `did you mean \`${close}\`?`,
  });
  return false;
}
