/**
 * `extends:` and `--template`: the template a configuration starts from, found by name — the user's own in
 * `.phasewise/templates/<name>.yaml` beside the configuration (out of the agents' reach), else a built-in —
 * and the chain of templates it extends in turn, merged over one another (`template-merge.ts`). An unknown
 * name or a cycle is a ConfigError where the name is written, with the names that exist.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors/index.js';
import { suggestionHint } from './did-you-mean.js';
import { isFile } from './file-reference.js';
import { readConfigFile } from './read-config-file.js';
import { isMapping, mergeOverTemplate, type PlainMapping } from './template-merge.js';
import { BUILTIN_TEMPLATES, builtinTemplate, builtinTemplateLabel } from './templates/index.js';
import { parseYamlSource, positionOf, type YamlSource } from './yaml-source.js';

/** Where the user's templates live, relative to the configuration's directory (or the working directory). */
export const USER_TEMPLATES_DIR = path.join('.phasewise', 'templates');

export interface TemplateLayer {
  name: string;
  /** `user:<name>` or `builtin:<name>`: a user template may extend the built-in of its own name. */
  key: string;
  source: YamlSource;
  data: PlainMapping;
}

/** The configuration with every template it extends merged under it; the templates' sources, nearest first. */
export function applyTemplates(
  top: { source: YamlSource | undefined; data: PlainMapping },
  baseDir: string,
): { data: PlainMapping; templates: YamlSource[] } {
  const layers: TemplateLayer[] = [];
  let current: { name: string | undefined; source: YamlSource | undefined; data: PlainMapping } = {
    name: undefined,
    ...top,
  };
  const seen: string[] = [];
  while (typeof current.data.extends === 'string') {
    const name = current.data.extends;
    const layer = readTemplate(name, baseDir, { source: current.source, ownName: current.name });
    if (seen.includes(layer.key)) {
      const chain = [...layers.map((each) => each.name), name].join(' → ');
      fail(
        current.source,
        `template cycle: ${chain}`,
        'a template cannot extend itself, directly or through others',
      );
    }
    seen.push(layer.key);
    layers.push(layer);
    current = layer;
  }
  if (current.data.extends !== undefined && current.data.extends !== null) {
    fail(
      current.source,
      `expected the name of a template, got ${JSON.stringify(current.data.extends)}`,
      `one name, such as bugfix (list them with \`phasewise templates\`)`,
    );
  }
  let merged: PlainMapping | undefined;
  for (const layer of [...layers].reverse()) {
    merged = merged === undefined ? layer.data : mergeOverTemplate(merged, layer.data);
  }
  return {
    data: merged === undefined ? top.data : mergeOverTemplate(merged, top.data),
    templates: layers.map((layer) => layer.source),
  };
}

/** One template by name, as written (its own `extends:` not yet followed). */
export function readTemplate(
  name: string,
  baseDir: string,
  at: { source: YamlSource | undefined; ownName?: string | undefined } = { source: undefined },
): TemplateLayer {
  // A user template named like a built-in replaces it, and may extend the built-in of its own name.
  const userFile = userTemplateFile(name, baseDir);
  if (userFile !== undefined && name !== at.ownName) {
    const { source, data } = readConfigFile(userFile);
    return { name, key: `user:${name}`, source, data };
  }
  const builtin = builtinTemplate(name);
  if (builtin === undefined) {
    const names = templateNames(baseDir);
    fail(at.source, `unknown template \`${name}\``, suggestionHint(name, names, 'templates'));
  }
  const { source, issues } = parseYamlSource(builtinTemplateLabel(name), builtin.text);
  if (issues.length > 0) throw new ConfigError(issues);
  const data = source.document.toJS();
  if (!isMapping(data)) throw new Error(`internal: the built-in template ${name} is not a mapping`);
  return { name, key: `builtin:${name}`, source, data };
}

/** The built-in names, then the user's own (`.phasewise/templates/*.yaml`) that are not built-in names. */
export function templateNames(baseDir: string): string[] {
  const builtin = BUILTIN_TEMPLATES.map((template) => template.name);
  return [...new Set([...builtin, ...userTemplateNames(baseDir)])];
}

export function userTemplateNames(baseDir: string): string[] {
  const directory = path.join(baseDir, USER_TEMPLATES_DIR);
  try {
    return readdirNames(directory)
      .filter((file) => /^[A-Za-z0-9][\w.-]*\.ya?ml$/.test(file))
      .map((file) => file.replace(/\.ya?ml$/, ''))
      .sort();
  } catch {
    return [];
  }
}

function userTemplateFile(name: string, baseDir: string): string | undefined {
  if (!/^[A-Za-z0-9][\w.-]*$/.test(name) || name.includes('..')) return undefined;
  return ['.yaml', '.yml']
    .map((extension) => path.join(baseDir, USER_TEMPLATES_DIR, `${name}${extension}`))
    .find(isFile);
}

function readdirNames(directory: string): string[] {
  return readdirSync(directory);
}

function fail(source: YamlSource | undefined, message: string, hint: string): never {
  const position = source === undefined ? undefined : positionOf(source, ['extends'], 'value');
  throw new ConfigError([
    {
      file: source?.file ?? 'command line',
      line: position?.line,
      column: position?.column,
      path: source === undefined ? '--template' : 'extends',
      message,
      hint,
    },
  ]);
}
