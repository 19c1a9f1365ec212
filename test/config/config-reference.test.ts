/**
 * Keeps the documentation true: the configuration reference is what the schema says, every YAML example in the
 * docs loads and can run (keys aside), the example files they name work, and the exit codes are the CLI's.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configReferenceFile } from '../../scripts/write-config-reference.js';
import { createCliModelResolver } from '../../src/cli/models.js';
import { loadTaskSet, loadWorkflow } from '../../src/config/index.js';
import { ExitCode } from '../../src/errors/index.js';
import { checkCustom } from '../../src/gate/check-custom.js';
import { checkModels } from '../../src/orchestrator/check-models.js';
import { apiKeyEnvOf } from '../../src/provider/api-key-env.js';
import { tempDir } from './config-files.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const docsDir = path.join(root, 'docs');
const documents = [
  'README.md',
  ...readdirSync(docsDir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Block {
  language: string;
  text: string;
  line: number;
}

function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  for (const match of markdown.matchAll(/^```(\w*)[^\n]*\n([\s\S]*?)^```\s*$/gm)) {
    const line = markdown.slice(0, match.index).split('\n').length;
    blocks.push({ language: match[1] ?? '', text: match[2] ?? '', line });
  }
  return blocks;
}

/** Blocks whose first line names the file they show (`// file: checks/x.mjs`, `<!-- file: prompts/x.md -->`). */
function exampleFiles(markdown: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const block of fencedBlocks(markdown)) {
    const name = /^(?:\/\/|<!--|#)\s*file:\s*(\S+?)\s*(?:-->)?\s*$/m.exec(
      block.text.split('\n')[0] ?? '',
    )?.[1];
    if (name !== undefined) files[name] = block.text;
  }
  return files;
}

/** Files a configuration names that no example shows: created empty-but-valid, so the loader finds them. */
const STUBS: Record<string, string> = {
  task: 'Add a health endpoint\n',
  prompt: 'You are a careful reviewer.\n',
  rubric_file: '- The plan names every file it changes\n',
  module: "export default async () => ({ score: 1, message: 'ok' });\n",
};

function namedFiles(value: unknown, found: Array<[string, string]> = []): Array<[string, string]> {
  if (Array.isArray(value)) for (const item of value) namedFiles(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'string' && key in STUBS && /^\.{1,2}\/|\.(md|txt|mjs|js)$/.test(child))
        found.push([key, child]);
      else namedFiles(child, found);
    }
  }
  return found;
}

function writeExample(yaml: string, files: Record<string, string>): string {
  const dir = tempDir();
  const all = { ...files };
  for (const [key, file] of namedFiles(parse(yaml))) all[file] ??= STUBS[key]!;
  for (const [name, content] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  writeFileSync(path.join(dir, 'phasewise.yaml'), yaml);
  return dir;
}

/** A block whose first line names a task file (`# eval/tasks/x.yaml`) shows an eval task, not a configuration. */
const TASK_FILE = /^#\s*\S*tasks\/[\w.-]+\.ya?ml\s*$/;
const isTaskFile = (text: string) => TASK_FILE.test(text.split('\n')[0] ?? '');

const allYamlBlocks = documents.flatMap((document) => {
  const markdown = read(document);
  const files = exampleFiles(markdown);
  return fencedBlocks(markdown)
    .filter((block) => block.language === 'yaml')
    .map((block) => ({ where: `${document}:${block.line}`, text: block.text, files }));
});
const yamlExamples = allYamlBlocks.filter((block) => !isTaskFile(block.text));
const taskFileExamples = allYamlBlocks.filter((block) => isTaskFile(block.text));

describe('the eval task files shown in docs/', () => {
  it.each(taskFileExamples)('$where loads as a task set', ({ text }) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phasewise-task-example-'));
    writeFileSync(path.join(dir, 'example.yaml'), text);
    const [task] = loadTaskSet(dir, dir);
    expect(task?.id).toBe('example');
  });
});

describe('docs/configuration.md', () => {
  it('is generated from the schema (run `npm run config-reference` after changing the zod schema)', () => {
    expect(read('docs/configuration.md')).toBe(configReferenceFile());
  });
});

describe('the YAML examples in README.md and docs/', () => {
  it('are there to check', () => {
    expect(yamlExamples.length).toBeGreaterThan(10);
  });

  it.each(yamlExamples)('$where loads, and every model it names can be set up', ({ text, files }) => {
    // A fragment (`phases: …`) is checked as a whole file of its own.
    const yaml = text.startsWith('version: 1') ? text : `version: 1\n${text}`;
    const workflow = loadWorkflow({ cwd: writeExample(yaml, files) });
    const env = Object.fromEntries(
      Object.values(workflow.providers).flatMap((provider) => {
        const variable = apiKeyEnvOf(provider);
        return variable === undefined ? [] : [[variable, 'test-key']];
      }),
    );
    // Keys present, no network: what is left to fail is a provider, a base URL or a price.
    expect(() => checkModels(workflow, createCliModelResolver(workflow, env))).not.toThrow();
  });
});

describe('the custom check modules shown in docs/', () => {
  const modules = documents.flatMap((document) =>
    Object.entries(exampleFiles(read(document)))
      .filter(([name]) => name.endsWith('.mjs'))
      .map(([name, text]) => ({ name, text })),
  );

  it.each(modules)('$name returns a verdict the gate accepts', async ({ name, text }) => {
    const dir = tempDir();
    const module = path.join(dir, path.basename(name));
    writeFileSync(module, text);
    const input = {
      output: '## Changes\n\nDone.\n',
      deliverables: ['Changes'],
      costUsd: 0.01,
      costLimitUsd: 0.2,
      workspace: dir,
      changedPaths: ['src/health.ts', 'test/health.test.ts'],
    };
    const outcome = await checkCustom(input, { module, export: 'default' }, new AbortController().signal);
    expect(outcome.score).toBeGreaterThanOrEqual(0);
    expect(outcome.score).toBeLessThanOrEqual(1);
    expect(outcome.message).not.toBe('');
  });
});

describe('docs/exit-codes.md', () => {
  it('lists every exit code the CLI uses, by the name it has in the code', () => {
    const rows = [...read('docs/exit-codes.md').matchAll(/^\|\s*\*\*(\d+)\*\*\s*\|\s*`(\w+)`\s*\|/gm)];
    const documented = Object.fromEntries(rows.map((row) => [row[2], Number(row[1])]));
    expect(documented).toEqual(ExitCode);
  });
});
