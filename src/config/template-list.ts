/**
 * What `phasewise templates` lists and `phasewise init --template` writes: the built-in templates and the
 * user's own in `.phasewise/templates/` (which replace a built-in of the same name), each with one line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors/index.js';
import { suggestionHint } from './did-you-mean.js';
import { templateNames, USER_TEMPLATES_DIR, userTemplateNames } from './template-chain.js';
import { BUILTIN_TEMPLATES, builtinTemplate } from './templates/index.js';

export interface TemplateEntry {
  name: string;
  /** `built-in`, or the user's file relative to the base directory. */
  source: string;
  summary: string;
  /** For a user template: the built-in it replaces, if it takes a built-in's name. */
  replacesBuiltin?: boolean;
}

export function listTemplates(baseDir: string): TemplateEntry[] {
  const user = new Map(userTemplateNames(baseDir).map((name) => [name, userTemplateFile(name, baseDir)]));
  const builtins = BUILTIN_TEMPLATES.map((template): TemplateEntry => {
    const file = user.get(template.name);
    return file === undefined
      ? { name: template.name, source: 'built-in', summary: template.summary }
      : { ...userEntry(template.name, file, baseDir), replacesBuiltin: true };
  });
  const own = [...user]
    .filter(([name]) => builtinTemplate(name) === undefined)
    .map(([name, file]) => userEntry(name, file, baseDir));
  return [...builtins, ...own];
}

/** The text `init --template NAME` writes: the user's file as it is, or the built-in with its comments. */
export function templateText(name: string, baseDir: string): string {
  if (userTemplateNames(baseDir).includes(name)) return readFileSync(userTemplateFile(name, baseDir), 'utf8');
  const builtin = builtinTemplate(name);
  if (builtin !== undefined) return builtin.text;
  throw new UsageError(`unknown template \`${name}\``, {
    hint: `${suggestionHint(name, templateNames(baseDir), 'templates')}; list them with \`phasewise templates\``,
  });
}

function userTemplateFile(name: string, baseDir: string): string {
  const yaml = path.join(baseDir, USER_TEMPLATES_DIR, `${name}.yaml`);
  try {
    readFileSync(yaml);
    return yaml;
  } catch {
    return path.join(baseDir, USER_TEMPLATES_DIR, `${name}.yml`);
  }
}

/** The file's first comment line says what it is for; else what it extends. */
function userEntry(name: string, file: string, baseDir: string): TemplateEntry {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // Listed but unreadable: `run` reports it properly.
  }
  const comment = /^#\s*(.+)$/m.exec(text)?.[1]?.trim();
  const extended = /^extends:\s*["']?([\w.-]+)/m.exec(text)?.[1];
  const summary =
    comment ??
    (extended === undefined ? '(no description: start the file with a # comment)' : `extends ${extended}`);
  return { name, source: path.relative(baseDir, file), summary };
}
