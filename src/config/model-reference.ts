import { closestMatch } from './did-you-mean.js';
import type { FieldPath } from './field-path.js';
import type { IssueCollector } from './issue-collector.js';

/** `ollama:llama3:8b` → provider `ollama`, model `llama3:8b`: only the first colon separates them. */
export function providerOf(reference: string): string {
  return reference.slice(0, reference.indexOf(':'));
}

/** Reports a `provider:model` whose provider is neither built in nor declared under `models.providers`. */
export function checkModelProvider(
  reference: string,
  fieldPath: FieldPath,
  providerNames: readonly string[],
  issues: IssueCollector,
): void {
  const provider = providerOf(reference);
  if (providerNames.includes(provider)) return;
  const close = closestMatch(provider, providerNames);
  issues.add(fieldPath, `unknown provider \`${provider}\` in \`${reference}\``, {
    hint:
      close === undefined
        ? `known providers: ${providerNames.join(', ')}; declare others under models.providers`
        : `did you mean \`${close}\`?`,
  });
}
