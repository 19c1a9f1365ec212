import { defaultGateChecks } from './defaults.js';
import type { FieldPath } from './field-path.js';
import type { IssueCollector } from './issue-collector.js';
import { type GateCheckScope, resolveGateCheck } from './resolve-gate-check.js';
import type { RawPhase } from './schema.js';
import type { GateCheckConfig, GateConfig } from './types.js';

export interface GateScope extends GateCheckScope {
  defaultThreshold: number;
}

/**
 * The gate of one phase. The threshold has three spellings (`quality_gate.threshold` and, from the pattern
 * document, `max_quality_gate` and `quality_threshold`); giving more than one is refused rather than guessed.
 */
export function resolveGate(raw: RawPhase, at: FieldPath, scope: GateScope): GateConfig {
  const { issues } = scope;
  const spellings = [
    { key: 'quality_gate', path: [...at, 'quality_gate', 'threshold'], value: raw.quality_gate?.threshold },
    { key: 'max_quality_gate', path: [...at, 'max_quality_gate'], value: raw.max_quality_gate },
    { key: 'quality_threshold', path: [...at, 'quality_threshold'], value: raw.quality_threshold },
  ].filter((spelling) => spelling.value !== undefined);
  const [first, second] = spellings;
  if (first !== undefined && second !== undefined) {
    issues.add(second.path, `the gate threshold is already set by \`${first.key}\``, {
      hint: 'quality_gate.threshold, max_quality_gate and quality_threshold mean the same: keep one',
    });
  }
  const checksAt = [...at, 'quality_gate', 'checks'];
  const checks =
    raw.quality_gate?.checks?.map((check, index) => resolveGateCheck(check, [...checksAt, index], scope)) ??
    defaultGateChecks(scope.role);
  reportCheckProblems(checks, checksAt, issues);
  return { threshold: first?.value ?? scope.defaultThreshold, checks };
}

/** Results are keyed by check name, and a gate whose weights are all zero could never score. */
function reportCheckProblems(checks: GateCheckConfig[], at: FieldPath, issues: IssueCollector): void {
  checks.forEach((check, index) => {
    if (checks.findIndex((other) => other.name === check.name) !== index) {
      issues.add([...at, index], `a check named \`${check.name}\` is already listed`, {
        hint: 'give each check of a kind its own `name`',
      });
    }
  });
  if (checks.length > 0 && checks.every((check) => check.weight === 0)) {
    issues.add(at, 'at least one check needs a weight above zero');
  }
}
