import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_FINDINGS_LIMITS } from './defaults.js';
import { suggestionHint } from './did-you-mean.js';
import type { FieldPath } from './field-path.js';
import { isFile } from './file-reference.js';
import type { IssueCollector } from './issue-collector.js';
import type { ModelReferenceCheck } from './model-reference.js';
import type { RawGateCheck } from './schema.js';
import type { GateCheckCommon, GateCheckConfig } from './types.js';
import type { BuiltinAgentName } from './vocabulary.js';

/** What a listed check is resolved against. */
export interface GateCheckScope {
  /** Directory of the configuration file: `rubric_file` and custom modules are relative to it. */
  configDir: string;
  tiers: readonly string[];
  checkModelReference: ModelReferenceCheck;
  issues: IssueCollector;
  /** The built-in role the phase's agent is or extends: some defaults depend on it. */
  role: BuiltinAgentName | undefined;
}

/** One listed check with its defaults applied and its files found; problems go to `scope.issues`. */
export function resolveGateCheck(raw: RawGateCheck, at: FieldPath, scope: GateCheckScope): GateCheckConfig {
  const common: GateCheckCommon = {
    name: raw.name ?? raw.kind,
    weight: raw.weight ?? 1,
    required: raw.required ?? false,
  };
  switch (raw.kind) {
    case 'sections':
      return {
        kind: 'sections',
        ...common,
        ...(raw.sections === undefined ? {} : { sections: [...raw.sections] }),
      };
    case 'cost':
      return { kind: 'cost', ...common };
    case 'grounding':
      return {
        kind: 'grounding',
        ...common,
        minCitations: raw.min_citations ?? 0,
        symbols: raw.symbols ?? true,
        allowNew: raw.allow_new ?? scope.role === 'planning',
      };
    case 'command':
      if (raw.expect_failure === true && raw.expect_exit !== undefined) {
        scope.issues.add(
          [...at, 'expect_failure'],
          'give either `expect_exit` or `expect_failure`, not both',
          {
            at: 'key',
            hint: 'expect_failure: true passes on any non-zero exit; expect_exit names one code',
          },
        );
      }
      return {
        kind: 'command',
        ...common,
        command: raw.command,
        timeoutMs: raw.timeout ?? DEFAULT_COMMAND_TIMEOUT_MS,
        expectExit: raw.expect_exit ?? 0,
        ...(raw.expect_failure === true ? { expectFailure: true as const } : {}),
      };
    case 'matches':
      return { kind: 'matches', ...common, patterns: checkedPatterns(raw.patterns, at, scope.issues) };
    case 'judge':
      return resolveJudge(raw, common, at, scope);
    case 'findings':
      return {
        kind: 'findings',
        ...common,
        limits: findingLimits(raw),
        ...(raw.must_have === undefined ? {} : { mustHave: [...raw.must_have] }),
      };
    case 'diff':
      return {
        kind: 'diff',
        ...common,
        expect: raw.expect,
        ...(raw.allowed_paths === undefined ? {} : { allowedPaths: [...raw.allowed_paths] }),
        ...(raw.forbidden_paths === undefined ? {} : { forbiddenPaths: [...raw.forbidden_paths] }),
        ...(raw.must_change === undefined ? {} : { mustChange: [...raw.must_change] }),
      };
    case 'custom':
      return resolveCustom(raw, common, at, scope);
    case 'work-items':
      // A plan whose items cannot be used must not pass: the fan-out that follows would have nothing to run.
      return { kind: 'work-items', ...common, required: raw.required ?? true };
  }
}

/** Each pattern must compile as the check will compile it; a bad one is reported where it is written. */
function checkedPatterns(patterns: readonly string[], at: FieldPath, issues: IssueCollector): string[] {
  patterns.forEach((pattern, index) => {
    try {
      new RegExp(pattern, 'im');
    } catch (error) {
      issues.add([...at, 'patterns', index], `not a regular expression: ${(error as Error).message}`, {
        hint: 'escape special characters with a backslash, e.g. \\d for a digit, \\. for a dot',
      });
    }
  });
  return [...patterns];
}

function findingLimits(raw: Extract<RawGateCheck, { kind: 'findings' }>) {
  const limits: Extract<GateCheckConfig, { kind: 'findings' }>['limits'] = {
    critical: raw.max_critical ?? DEFAULT_FINDINGS_LIMITS.critical,
    high: raw.max_high ?? DEFAULT_FINDINGS_LIMITS.high,
  };
  if (raw.max_medium !== undefined) limits.medium = raw.max_medium;
  if (raw.max_low !== undefined) limits.low = raw.max_low;
  return limits;
}

function resolveJudge(
  raw: Extract<RawGateCheck, { kind: 'judge' }>,
  common: GateCheckCommon,
  at: FieldPath,
  scope: GateCheckScope,
): GateCheckConfig {
  const model = raw.model ?? scope.tiers[scope.tiers.length - 1] ?? '';
  if (raw.model !== undefined) checkJudgeModel(raw.model, [...at, 'model'], scope);
  const judge = { kind: 'judge' as const, ...common, model };
  if (raw.rubric !== undefined && raw.rubric_file !== undefined) {
    scope.issues.add([...at, 'rubric_file'], 'give the rubric either inline (`rubric`) or as `rubric_file`', {
      at: 'key',
      hint: 'keep one of the two',
    });
  }
  if (raw.rubric !== undefined) return { ...judge, rubric: [...raw.rubric] };
  if (raw.rubric_file === undefined) {
    scope.issues.add(at, 'a judge check needs a `rubric` (a list of criteria) or a `rubric_file`');
    return { ...judge, rubric: [] };
  }
  const file = path.resolve(scope.configDir, raw.rubric_file);
  const rubric = readRubricFile(file, [...at, 'rubric_file'], scope.issues);
  return { ...judge, rubric, rubricFile: file };
}

function checkJudgeModel(model: string, at: FieldPath, scope: GateCheckScope): void {
  if (model.includes(':')) {
    scope.checkModelReference(model, at);
  } else if (!scope.tiers.includes(model)) {
    scope.issues.add(at, `unknown tier \`${model}\` (tiers: ${scope.tiers.join(', ')})`, {
      hint: suggestionHint(model, scope.tiers, 'tiers'),
    });
  }
}

/** One criterion per list item (`-`, `*`, `1.`), or per non-empty line when the file has no list; headings skipped. */
export function rubricCriteria(text: string): string[] {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const item = /^(?:[-*+]|\d+[.)])\s+(.*)$/;
  const items = lines.map((line) => item.exec(line)?.[1]?.trim()).filter((text) => text !== undefined);
  return (items.length > 0 ? items : lines).filter((criterion) => criterion !== '');
}

function readRubricFile(file: string, at: FieldPath, issues: IssueCollector): string[] {
  if (!isFile(file)) {
    issues.add(at, `file not found: ${file}`, { hint: 'paths are relative to the configuration file' });
    return [];
  }
  const criteria = rubricCriteria(readFileSync(file, 'utf8'));
  if (criteria.length === 0) issues.add(at, `the rubric file has no criteria: ${file}`);
  return criteria;
}

function resolveCustom(
  raw: Extract<RawGateCheck, { kind: 'custom' }>,
  common: GateCheckCommon,
  at: FieldPath,
  scope: GateCheckScope,
): GateCheckConfig {
  const module = path.resolve(scope.configDir, raw.module);
  const readable = isFile(module);
  if (!readable) {
    scope.issues.add([...at, 'module'], `module not found: ${module}`, {
      hint: 'paths are relative to the configuration file, e.g. ./checks/my-check.mjs',
    });
  } else if (!/\.(?:mjs|js)$/.test(module)) {
    scope.issues.add([...at, 'module'], `expected an ES module (.mjs or .js): ${module}`);
  }
  return {
    kind: 'custom',
    ...common,
    module,
    moduleSha256: readable ? createHash('sha256').update(readFileSync(module)).digest('hex') : '',
    export: raw.export ?? 'default',
    ...(raw.options === undefined ? {} : { options: structuredClone(raw.options) }),
  };
}
