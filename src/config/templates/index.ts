/**
 * The built-in workflow templates, by name: each a complete phasewise.yaml (its own phases, roles, prompts,
 * gates and tiers) kept as text, so that `init --template` writes it out with its comments and the package
 * works from dist/ without YAML files beside it. `feature` is the built-in five phases, as `init` writes them.
 */
import { initTemplate } from '../init-template.js';
import { BUGFIX_TEMPLATE } from './bugfix.js';
import { DOCS_TEMPLATE } from './docs.js';
import { PERFORMANCE_TEMPLATE } from './performance.js';
import { REFACTOR_TEMPLATE } from './refactor.js';
import { SECURITY_TEMPLATE } from './security.js';

export interface BuiltinTemplate {
  name: string;
  /** One line for `phasewise templates`. */
  summary: string;
  text: string;
}

export const BUILTIN_TEMPLATES: readonly BuiltinTemplate[] = [
  {
    name: 'feature',
    summary: 'research, planning, implementation, review, verification: the built-in five phases',
    text: initTemplate(),
  },
  {
    name: 'bugfix',
    summary: 'reproduce with a failing test first, fix without touching the tests, verify the suite passes',
    text: BUGFIX_TEMPLATE,
  },
  {
    name: 'refactor',
    summary: 'behaviour preserved: the tests unchanged and passing, the diff reviewed for behaviour change',
    text: REFACTOR_TEMPLATE,
  },
  {
    name: 'docs',
    summary: 'documentation only: nothing outside docs paths changes; links and examples checked',
    text: DOCS_TEMPLATE,
  },
  {
    name: 'performance',
    summary: 'a benchmark before and after, each a gate, the tests passing and the improvement stated',
    text: PERFORMANCE_TEMPLATE,
  },
  {
    name: 'security',
    summary: 'a read-only audit: findings with severity, location and evidence, then triaged',
    text: SECURITY_TEMPLATE,
  },
];

export function builtinTemplate(name: string): BuiltinTemplate | undefined {
  return BUILTIN_TEMPLATES.find((template) => template.name === name);
}

/** How a built-in template is named where a file name is expected (in issues, `sourceFile`). */
export function builtinTemplateLabel(name: string): string {
  return `<built-in template ${name}>`;
}
