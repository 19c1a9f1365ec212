/**
 * Secrets, planted everywhere a run touches — the environment, files the agents read (`.env` files of every
 * name and depth included), command output (run_command and a gate's command check), a provider error that
 * echoes the key, the task text — and then looked for in every channel the run leaves: the journal (every table,
 * and the raw SQLite bytes), stdout and stderr (plain and --json), every report format, the artifacts under
 * .phasewise/runs, and every request the fake LLM server received. Zero occurrences allowed, except in a path
 * the user allowed (`redaction.allow_paths`), whose fixture keys must arrive intact. Real runs: the built CLI
 * in a subprocess, the real provider clients, the fake server playing a model that reads and prints them.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/config/index.js';
import {
  type FakeLlmScript,
  type FakeLlmServer,
  type FakeTurn,
  startFakeLlmServer,
} from '../../src/testing/index.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { createRedactor } from '../../src/util/redact.js';
import { type CliResult, cli, startCli } from '../support/cli.js';
import { callTool } from '../tools/tool-workspace.js';

const soak = process.env.RELIABILITY_TIER === 'soak';

/** Each value is unique, so any occurrence anywhere is a leak of exactly that secret. */
const PLANTED = {
  /** The configured api_key_env's value: shaped like nothing, only the configuration makes it a key. */
  configuredKey: 'vendor-login-Zq81-leakcheck',
  anthropicKey: 'sk-ant-api03-Wk3vQ9pLx7Rt2Bn8Yc5Hs1Jd6Fg4Mz0Ka7Pe3Ur-leakAA',
  openaiKey: 'sk-proj-u8JfK2mQv7XcR4nZp9WbT1yLs6HdG3oAe5Ni0Vq',
  githubToken: 'ghp_Q2x9Lr7Kc4Vb8Nm1Tz6Hp3Jw5Fy0Gd7Sa2Ue',
  awsAccessKeyId: 'AKIAQ7RT2BN8YC5HS1JD',
  /** No known shape: only its entropy gives it away. */
  awsSecretKey: 'Tz6Hp3Jw5Fy0Gd7Sa2Ue4Io9Wk3vQ9pLx7Rt2Bn8',
  slackToken: 'xoxb-2048-77aa19-Yc5Hs1Jd6Fg4Mz0Ka',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrLWNoZWNrIn0.Zm9yZ2VkLXNpZ25hdHVyZS1sZWFr',
  /** A secret-named variable with an innocent-looking value, printed by the gate's command check. */
  deployToken: 'deploy-Tok-7781-leakcheck',
  /** .env values that look like nothing: only where they are found makes them secret. */
  dotenvRoot: 'hunter2-correct-horse-root',
  dotenvLocal: 'local-override-pass-9931',
  dotenvNested: 'nested-package-pass-5512',
  dotenvDeep: 'deep-monorepo-pass-7720',
  prodEnv: 'prod-env-file-pass-4410',
  secretsEnv: 'plain-secrets-env-pass-3309',
  /** In the task text only. */
  taskToken: 'ghp_TaskTok3nTaskTok3nTaskTok3nTaskTok3n',
  taskEntropy: 'Hs1Jd6Fg4Mz0Ka7Pe3UrWk3vQ9pLx7Rt2Bn8Yc5',
  /** In a variable of innocent name, of no known shape: only its entropy gives it away. */
  envEntropy: 'Pe3UrWk3vQ9pLx7Rt2Bn8Yc5Hs1Jd6Fg4Mz0Ka7',
  /** In a file's name, shown by list, glob and grep. */
  fileNameKey: 'AKIAZZ7RT2BN8YC5HS99',
  /** In the task given on the command line. */
  cliTaskToken: 'xoxp-1111-2222-cliTaskSecret9',
  /** A copy of a fixture key outside the allowed path: hidden like any other. */
  notAllowedFixture: 'sk-ant-api03-NOTALLOWEDfixtureKey0123456789abcdefXYZ',
  /** Only in the model's answers: a hostile model echoes it (with the others it was never shown). */
  stripeKey: 'sk_live_51HqLyjWDarjtT1zdp7dcQ9pLx7Rt2Bn8',
  /** Letters only, in credentials.json: only its key (`"password"`) betrays it. */
  credentialsPassword: 'correcthorsebatterystaple',
  /** Words and dashes in credential files by name: only the file they are in makes them secret. */
  npmToken: 'npmrc-auth-token-kilo-leak',
  netrcPassword: 'netrc-pass-lima-leak',
  pypircPassword: 'pypirc-pass-mike-leak',
  gitCredential: 'git-credential-november-leak',
  awsCredentialsSecret: 'aws-credentials-oscar-leak',
  dockerPassword: 'docker-config-papa-leak',
  /** A line of a private key file (deploy/id_rsa). */
  privateKeyLine: 'MIIEpAIBAAKCAQEAquebecLeakCheckPrivateKeyLine0123456789abcd',
};

/**
 * Known values transformed by a command or a model: each form (reversed, upper case, spaced out, hex, URL-encoded,
 * and the base64 of the value at every alignment) is looked for in every channel like a planted secret.
 */
const TRANSFORMED_SOURCES = {
  configuredKey: PLANTED.configuredKey,
  dotenvRoot: PLANTED.dotenvRoot,
  dotenvLocal: PLANTED.dotenvLocal,
  deployToken: PLANTED.deployToken,
  credentialsPassword: PLANTED.credentialsPassword,
  npmToken: PLANTED.npmToken,
  netrcPassword: PLANTED.netrcPassword,
  pypircPassword: PLANTED.pypircPassword,
  gitCredential: PLANTED.gitCredential,
  awsCredentialsSecret: PLANTED.awsCredentialsSecret,
  dockerPassword: PLANTED.dockerPassword,
  privateKeyLine: PLANTED.privateKeyLine,
};

function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value);
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    return encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
  });
}

const TRANSFORMED: Record<string, string> = Object.fromEntries(
  Object.entries(TRANSFORMED_SOURCES).flatMap(([name, value]) => [
    [`${name} reversed`, [...value].reverse().join('')],
    [`${name} upper case`, value.toUpperCase()],
    [`${name} spaced out`, [...value].join(' ')],
    [`${name} hex`, Buffer.from(value).toString('hex')],
    [`${name} URL-encoded`, encodeURIComponent(`${value}&`)],
    ...base64Cores(value).map((core, offset) => [`${name} base64 (offset ${offset})`, core]),
    ...base64Cores(value).map((core, offset) => [
      `${name} base64url (offset ${offset})`,
      core.replaceAll('+', '-').replaceAll('/', '_'),
    ]),
  ]),
);

/** What a hostile model writes in its answers: secrets it was given some other way, and their encodings. */
const ECHOED = [
  PLANTED.configuredKey,
  PLANTED.anthropicKey,
  PLANTED.dotenvRoot,
  PLANTED.stripeKey,
  PLANTED.githubToken,
  encodeURIComponent(`${PLANTED.dotenvLocal}&`),
  Buffer.from(`key=${PLANTED.configuredKey}`).toString('base64'),
  [...PLANTED.deployToken].join(' '),
].join('\n');

/** Test fixtures the user allowed: secret-looking on purpose, they must reach the agents intact. */
const ALLOWED = {
  fixtureKey: 'sk-ant-api03-ALLOWEDfixtureKey0123456789abcdefghXYZ',
  fixtureAws: 'AKIAFIXTUREFIXTURE00',
  fixtureDotenv: 'fixture-dotenv-value-2201',
};

const KEY_ENV = 'VENDOR_LOGIN';

function environment(): Record<string, string> {
  return {
    // With the trailing newline of a key pasted from a file: the client trims it, so must the redactor.
    [KEY_ENV]: `${PLANTED.configuredKey}\n`,
    // An innocent variable name: only the value's shape betrays it.
    MY_NOTES: `remember ${PLANTED.anthropicKey}`,
    GITHUB_TOKEN: PLANTED.githubToken,
    DEPLOY_TOKEN: PLANTED.deployToken,
    BUILD_INFO: `build ${PLANTED.envEntropy}`,
  };
}

function write(workspace: string, path: string, text: string): void {
  mkdirSync(dirname(join(workspace, path)), { recursive: true });
  writeFileSync(join(workspace, path), text);
}

function makeWorkspace(kind: Kind, baseUrl: string): string {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-secrets-'));
  write(workspace, 'src/app.js', 'export const app = () => "ok";\n');
  write(
    workspace,
    'config/settings.json',
    `${JSON.stringify({ openai: { apiKey: PLANTED.openaiKey }, session: PLANTED.jwt }, null, 2)}\n`,
  );
  write(
    workspace,
    'config/aws.ini',
    `[default]\naws_access_key_id = ${PLANTED.awsAccessKeyId}\naws_secret_access_key = ${PLANTED.awsSecretKey}\n`,
  );
  write(workspace, 'secrets/slack.txt', `${PLANTED.slackToken}\n`);
  write(
    workspace,
    'credentials.json',
    `${JSON.stringify({ username: 'deploy', password: PLANTED.credentialsPassword })}\n`,
  );
  write(workspace, 'secrets/github.txt', `token=${PLANTED.githubToken}\n`);
  write(workspace, '.npmrc', `//registry.example/:_authToken=${PLANTED.npmToken}\n`);
  write(
    workspace,
    '.netrc',
    `machine api.example.com\n  login deploy\n  password ${PLANTED.netrcPassword}\n`,
  );
  write(workspace, '.pypirc', `[pypi]\nusername = __token__\npassword = ${PLANTED.pypircPassword}\n`);
  write(workspace, '.git-credentials', `https://deploy:${PLANTED.gitCredential}@git.example.com\n`);
  write(
    workspace,
    '.aws/credentials',
    `[default]\naws_secret_access_key = ${PLANTED.awsCredentialsSecret}\n`,
  );
  write(
    workspace,
    '.docker/config.json',
    `${JSON.stringify({ auths: { 'registry.example': { auth: Buffer.from(`deploy:${PLANTED.dockerPassword}`).toString('base64') } } })}\n`,
  );
  write(
    workspace,
    'deploy/id_rsa',
    `-----BEGIN RSA PRIVATE KEY-----\n${PLANTED.privateKeyLine}\n-----END RSA PRIVATE KEY-----\n`,
  );
  write(workspace, `keys/${PLANTED.fileNameKey}.txt`, 'rotated\n');
  write(
    workspace,
    'docs/ops.md',
    `# Operations\n\nThe vendor login is ${PLANTED.configuredKey} (rotate yearly).\n`,
  );
  write(workspace, '.env', `DATABASE_URL_PART=${PLANTED.dotenvRoot}\nPORT=3000\n`);
  write(workspace, '.env.local', `LOCAL_DB=${PLANTED.dotenvLocal}\n`);
  write(workspace, 'packages/api/.env', `API_DB=${PLANTED.dotenvNested}\n`);
  write(workspace, 'services/a/b/c/d/.env', `DEEP_DB=${PLANTED.dotenvDeep}\n`);
  write(workspace, 'deploy/prod.env', `PROD_DB=${PLANTED.prodEnv}\n`);
  write(workspace, 'deploy/secrets.env', `export SHARED="${PLANTED.secretsEnv}"\n`);
  write(workspace, 'test/fixtures/sample-keys.json', `${JSON.stringify(ALLOWED)}\n`);
  write(workspace, 'test/fixtures/.env.test', `FIXTURE_PASSWORD=${ALLOWED.fixtureDotenv}\n`);
  write(workspace, 'notes/copied-keys.json', `${JSON.stringify({ anthropic: PLANTED.notAllowedFixture })}\n`);
  writeFileSync(join(workspace, 'phasewise.yaml'), config(kind, baseUrl));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: workspace });
  return workspace;
}

type Kind = 'anthropic' | 'openai' | 'openai-compatible';
const models: Record<Kind, string> = {
  anthropic: 'claude-haiku-4-5',
  openai: 'gpt-5-nano',
  'openai-compatible': 'llama-small',
};

function config(kind: Kind, baseUrl: string): string {
  const pricing =
    kind === 'openai-compatible' ? `, pricing: { ${models[kind]}: { input: 0.1, output: 0.2 } }` : '';
  return `version: 1
task: "Audit the service's configuration. (Pasted by mistake: ${PLANTED.taskToken} and ${PLANTED.taskEntropy} and ${PLANTED.jwt})"
budget: 2.00
models:
  tiers: [small]
  small: vendor:${models[kind]}
  providers:
    vendor: { kind: ${kind}, base_url: "${baseUrl}", api_key_env: ${KEY_ENV}${pricing} }
redaction:
  allow_paths: ["test/fixtures/**"]
phases:
  research:
    escalation: [halt]
    quality_gate:
      threshold: 0.5
      checks:
        - { kind: sections, weight: 0.8 }
        - { kind: cost, weight: 0.2, required: true }
  verification:
    dependencies: research
    escalation: [retry, halt]
    quality_gate:
      threshold: 0.5
      checks:
        - { kind: sections, weight: 0.5 }
        - { kind: command, name: deploy-check, command: "echo \\"deploying with $GITHUB_TOKEN and $DEPLOY_TOKEN\\"; cat secrets/slack.txt secrets/github.txt >&2; exit 1", weight: 0.3 }
        - { kind: command, name: first-time-fails, required: true, command: "test -f .checked && exit 0; touch .checked; cat config/aws.ini secrets/github.txt .env; exit 1" }
        - { kind: cost, weight: 0.2, required: true }
`;
}

const reportOf = (role: string) =>
  builtinAgents[role]!.deliverables.map((section) =>
    section === 'Go/no-go' ? '## Go/no-go\nGo.' : `## ${section}\n${role} notes on the configuration.`,
  ).join('\n\n');

const call = (name: string, input: unknown): FakeTurn => ({ toolCalls: [{ name, input }] });

/** A model that reads every planted file and prints every planted variable; the provider echoes the key once. */
function script(options: { echoStatus: 503 | 401 }): FakeLlmScript {
  const echo = `upstream rejected credentials ${PLANTED.configuredKey} (x-api-key: ${PLANTED.configuredKey})`;
  const reads = [
    'config/settings.json',
    'config/aws.ini',
    'secrets/slack.txt',
    '.env',
    '.env.local',
    'packages/api/.env',
    'services/a/b/c/d/.env',
    'deploy/prod.env',
    'deploy/secrets.env',
    'test/fixtures/sample-keys.json',
    'test/fixtures/.env.test',
    'notes/copied-keys.json',
    'docs/ops.md',
    'credentials.json',
    '.npmrc',
    '.netrc',
    '.git-credentials',
  ];
  return {
    conversations: [
      {
        name: 'research',
        match: ['## File map'],
        turns: [
          {
            ...call('list', { path: '.' }),
            faults: [{ fault: { kind: 'status', status: options.echoStatus, message: echo }, times: 1 }],
          },
          ...reads.map((path) => call('read', { path })),
          call('grep', { pattern: 'pass|key|token|rotated', path: '.' }),
          call('glob', { pattern: 'keys/*' }),
          // A hostile model echoes secrets in a tool call's input and in its report.
          call('write', { path: 'notes/echo.md', content: `Echoed:\n${ECHOED}\n` }),
          { text: `${reportOf('research')}\n\nEchoed:\n${ECHOED}` },
        ],
      },
      {
        name: 'verification',
        match: ['## Checks run'],
        turns: [
          call('run_command', {
            command: 'printenv MY_NOTES BUILD_INFO GITHUB_TOKEN DEPLOY_TOKEN; env | sort; ls keys',
          }),
          call('run_command', { command: 'cat config/aws.ini config/settings.json .env deploy/prod.env' }),
          call('run_command', { command: 'echo "auth failed for $(cat secrets/slack.txt)" >&2; exit 3' }),
          // Transformed copies: reversed, upper case, spaced out, hex, base64 (the key inside a longer text).
          call('run_command', {
            command:
              "rev .env .env.local; tr a-z A-Z < .env; sed 's/./& /g' .env.local; printenv DEPLOY_TOKEN | rev; od -An -v -tx1 .env | tr -d ' \\n'; echo; base64 -w0 docs/ops.md; echo; base64 -w0 .env; echo; cat credentials.json",
          }),
          // Credential files by name, transformed the same ways.
          call('run_command', {
            command:
              "rev .npmrc .netrc .pypirc .git-credentials deploy/id_rsa; tr a-z A-Z < .aws/credentials; sed 's/./& /g' .pypirc .netrc; od -An -v -tx1 .git-credentials | tr -d ' \\n'; echo; od -An -v -tx1 deploy/id_rsa | tr -d ' \\n'; echo; base64 -w0 .aws/credentials; echo; base64 -w0 .npmrc; echo; cat .docker/config.json; base64 -w0 .docker/config.json",
          }),
          { text: reportOf('verification') },
        ],
      },
    ],
  };
}

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

/** Every row of every table, as text. */
function journalRows(workspace: string): string {
  const db = new DatabaseSync(join(workspace, '.phasewise', 'journal.db'), { readOnly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
      name: string;
    }>;
    expect(tables.length).toBeGreaterThan(2);
    return tables
      .map(({ name }) => `${name}: ${JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())}`)
      .join('\n');
  } finally {
    db.close();
  }
}

/** The journal's files as bytes (database, WAL, shared memory), read as latin1 so every byte maps to a char. */
function journalBytes(workspace: string): string {
  return filesUnder(join(workspace, '.phasewise'))
    .filter((file) => /journal\.db/.test(file))
    .map((file) => readFileSync(file, 'latin1'))
    .join('\n');
}

/** What the journal's readers print: every report format, status and the list of runs. */
function reports(workspace: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const format of ['terminal', 'md', 'json', 'html']) {
    const result = cli(['report', '--format', format], { cwd: workspace, env: environment() });
    expect(result.code, `report --format ${format}: ${result.stderr}`).toBe(0);
    out[`report ${format}`] = result.stdout + result.stderr;
  }
  const commands = [['status'], ['status', '--json'], ['runs', '--json']];
  for (const args of [
    ...commands,
    ['validate'],
    ['validate', '--json'],
    ['estimate'],
    ['estimate', '--json'],
  ]) {
    const result = cli(args, { cwd: workspace, env: environment() });
    out[args.join(' ')] = result.stdout + result.stderr;
  }
  return out;
}

/** Pasted into the wrong place of a configuration (the last suite below). */
const MISPLACED = {
  key: 'sk-ant-api03-MisplacedKey0123456789abcdefghijklmnXYZ',
  entropyKey: 'Yc5Hs1Jd6Fg4Mz0Ka7Pe3UrWk3vQ9pLx7Rt2Bn8',
};

const figures = {
  planted: Object.keys(PLANTED).length + Object.keys(MISPLACED).length,
  transformed: Object.keys(TRANSFORMED).length,
  leaks: 0,
  channels: new Set<string>(),
  checks: 0,
};

afterAll(() => {
  console.log(
    `reliability: secrets: ${figures.planted} planted secrets and ${figures.transformed} transformed forms × ${figures.channels.size} channels (${figures.checks} checks), ${figures.leaks} leaks`,
  );
});

function assertNoLeaks(channels: Record<string, string>): void {
  const leaks: string[] = [];
  for (const [channel, text] of Object.entries(channels)) {
    figures.channels.add(channel.replace(/ \(.*\)$/, ''));
    for (const [name, secret] of Object.entries(PLANTED)) {
      figures.checks++;
      if (text.includes(secret)) leaks.push(`${name} in ${channel}`);
    }
    // Upper case is looked for case-insensitively: a channel may lowercase what it shows.
    const lower = text.toLowerCase();
    for (const [name, form] of Object.entries(TRANSFORMED)) {
      figures.checks++;
      const found = name.endsWith('upper case') ? lower.includes(form.toLowerCase()) : text.includes(form);
      if (found) leaks.push(`${name} in ${channel}`);
    }
  }
  figures.leaks += leaks.length;
  expect(leaks).toEqual([]);
}

let server: FakeLlmServer | undefined;
afterAll(async () => server?.close());

async function runOnce(kind: Kind, options: { json: boolean; echoStatus: 503 | 401 }) {
  await server?.close();
  server = await startFakeLlmServer({ script: script(options), apiKey: PLANTED.configuredKey });
  const baseUrl = kind === 'anthropic' ? server.anthropicBaseUrl : server.openaiBaseUrl;
  const workspace = makeWorkspace(kind, baseUrl);
  // The --json run takes its task from the command line; the plain one from the configuration.
  const task = `Audit the configuration; the Slack token is ${PLANTED.cliTaskToken} and ${PLANTED.taskToken}`;
  const running = startCli(options.json ? ['run', '--json', task] : ['run'], {
    cwd: workspace,
    env: environment(),
  });
  const result: CliResult = await running.done;
  return { workspace, result, requests: server.requests };
}

function channelsOf(
  label: string,
  workspace: string,
  result: CliResult,
  requests: unknown,
): Record<string, string> {
  const json = label.includes('--json') ? ' --json' : '';
  const artifacts = filesUnder(join(workspace, '.phasewise', 'runs'));
  if (result.code === 0) expect(artifacts.length, 'artifacts under .phasewise/runs').toBeGreaterThan(0);
  return {
    [`stdout${json} (${label})`]: result.stdout,
    [`stderr${json} (${label})`]: result.stderr,
    [`journal rows (${label})`]: journalRows(workspace),
    [`journal bytes (${label})`]: journalBytes(workspace),
    [`artifacts (${label})`]: artifacts.map((file) => `${file}\n${readFileSync(file, 'latin1')}`).join('\n'),
    [`requests (${label})`]: JSON.stringify(requests),
    // Whatever else phasewise keeps beside the journal and the artifacts (logs, locks, caches).
    [`other .phasewise files (${label})`]: filesUnder(join(workspace, '.phasewise'))
      .filter((file) => !/journal\.db|[/\\]runs[/\\]/.test(file))
      .map((file) => `${file}\n${readFileSync(file, 'latin1')}`)
      .join('\n'),
  };
}

describe('planted secrets', () => {
  const runs: Array<[Kind, boolean]> = soak
    ? [
        ['anthropic', false],
        ['anthropic', true],
        ['openai', false],
        ['openai', true],
        ['openai-compatible', false],
        ['openai-compatible', true],
      ]
    : [
        ['anthropic', false],
        ['openai', true],
      ];

  it.each(runs)(
    'never leave a run through %s (--json: %s), except from an allowed path',
    async (kind, json) => {
      const { workspace, result, requests } = await runOnce(kind, { json, echoStatus: 503 });
      expect(result.code, result.stderr).toBe(0);
      expect(server!.unexpected).toEqual([]);
      server!.assertAllUsed();
      const label = `${kind}${json ? ' --json' : ''}`;
      const channels = { ...channelsOf(label, workspace, result, requests), ...reports(workspace) };
      // The run really did see them: files were read, commands ran, the gate command failed, the provider erred.
      const rows = channels[`journal rows (${label})`]!;
      for (const seen of [
        'DATABASE_URL_PART',
        'aws_secret_access_key',
        'auth failed for',
        'deploying with',
        '[REDACTED:PROD_DB]',
        '[REDACTED:DEEP_DB]',
        'Echoed:',
        'rev .env',
        '[REDACTED:SHARED]',
        '[REDACTED:.npmrc]',
        '[REDACTED:.aws/credentials]',
      ]) {
        expect(rows.includes(seen), `the journal shows ${seen}`).toBe(true);
      }
      expect(server!.requests[0]!.fault).toBe('status 503');
      if (json) expect(JSON.stringify(requests)).toContain('the Slack token is [REDACTED]');
      // Verification's first gate failed on a command that printed secrets; its retry was told what it printed.
      expect(rows.includes('verification/a2/'), 'verification retried').toBe(true);
      expect(JSON.stringify(requests)).toMatch(/first-time-fails[^"]*exited with 1/);
      expect(JSON.stringify(requests)).toContain('aws_access_key_id = [REDACTED]');
      assertNoLeaks(channels);
      // The allowed path's fixtures arrive intact, in the journal and in what the model was sent.
      for (const value of Object.values(ALLOWED)) {
        expect(rows.includes(value), `${value} in the journal`).toBe(true);
        expect(JSON.stringify(requests).includes(value), `${value} sent to the model`).toBe(true);
      }
    },
    120_000,
  );

  it('never leave a failed run, whose provider error echoes the key', async () => {
    const { workspace, result, requests } = await runOnce('openai-compatible', {
      json: false,
      echoStatus: 401,
    });
    expect(result.code).not.toBe(0);
    // The provider's error, echoing the key, is reported — with the key blanked out.
    expect(result.stdout + result.stderr).toContain('upstream rejected credentials');
    const label = 'openai-compatible, failed';
    assertNoLeaks({ ...channelsOf(label, workspace, result, requests), ...reports(workspace) });
    // Resumed (the key still refused): nothing new leaks either.
    const copy = mkdtempSync(join(tmpdir(), 'phasewise-secrets-'));
    cpSync(workspace, copy, { recursive: true });
    const resumed = cli(['resume', '--json'], { cwd: copy, env: environment() });
    assertNoLeaks({ 'resume --json': resumed.stdout + resumed.stderr });
  }, 120_000);
});

describe('redaction.allow_paths, both sides', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'phasewise-allow-'));
  write(
    workspace,
    'test/fixtures/keys.json',
    `${JSON.stringify({ ...ALLOWED, real: PLANTED.githubToken })}\n`,
  );
  write(workspace, 'test/fixtures/.env.test', `FIXTURE_PASSWORD=${ALLOWED.fixtureDotenv}\n`);
  write(workspace, 'fixtures-elsewhere/.env', `OTHER_PASSWORD=${PLANTED.dotenvRoot}\n`);
  const text = `${Object.values(ALLOWED).join(' ')} ${PLANTED.githubToken} ${PLANTED.dotenvRoot} ${PLANTED.notAllowedFixture}`;
  const env = { GITHUB_TOKEN: PLANTED.githubToken };

  it.each(['/etc/**', '../elsewhere/**', 'test/../../x'])(
    'refuses %s, which is not inside the workspace',
    (glob) => {
      const dir = mkdtempSync(join(tmpdir(), 'phasewise-allow-config-'));
      const yaml = `version: 1\ntask: t\nredaction:\n  allow_paths: ["${glob}"]\n`;
      writeFileSync(join(dir, 'phasewise.yaml'), yaml);
      const result = cli(['validate'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/redaction\.allow_paths\[0\].*inside the workspace/);
    },
  );

  it('keeps a fixture written during the run readable, when read from the allowed path only', async () => {
    const root = mkdtempSync(join(tmpdir(), 'phasewise-allow-tools-'));
    const redactor = createRedactor({ env, workspace: root, allowPaths: ['test/fixtures/**'] });
    const tools = createWorkspaceTools({ redactor });
    const fixture = 'sk-ant-api03-WrittenDuringRunFixture0123456789abcXYZ';
    const other = 'sk-ant-api03-WrittenElsewhereNotAllowed0123456789XYZ';
    const content = (key: string) => `{"key": "${key}", "real": "${PLANTED.githubToken}"}\n`;
    for (const [path, key] of [
      ['test/fixtures/written.json', fixture],
      ['notes/written.json', other],
    ] as const) {
      const written = await callTool(tools, 'write', { path, content: content(key) }, root);
      expect(written.isError, written.output).toBe(false);
    }
    const allowedRead = (await callTool(tools, 'read', { path: 'test/fixtures/written.json' }, root)).output;
    const otherRead = (await callTool(tools, 'read', { path: 'notes/written.json' }, root)).output;
    expect(allowedRead).toContain(fixture);
    expect(allowedRead).not.toContain(PLANTED.githubToken);
    expect(otherRead).not.toContain(other);
    expect(otherRead).not.toContain(PLANTED.githubToken);
    const grepped = (await callTool(tools, 'grep', { pattern: 'sk-ant', path: '.' }, root)).output;
    expect(grepped).toContain(`test/fixtures/written.json:1: {"key": "${fixture}"`);
    expect(grepped).not.toContain(other);
    expect(grepped).not.toContain(PLANTED.githubToken);
  });

  it('hides fixture keys when no path is allowed', () => {
    const redacted = createRedactor({ env, workspace }).redact(text);
    for (const value of [...Object.values(ALLOWED), PLANTED.githubToken, PLANTED.dotenvRoot]) {
      expect(redacted).not.toContain(value);
    }
  });

  it.each([
    ['test/fixtures/**'],
    ['test/fixtures'],
    ['./test/fixtures/'],
    ['test/*/keys.json', 'test/**/.env.*'],
  ])(
    'keeps what the allowed files hold (%s), and still hides known secret values and the rest',
    (...globs) => {
      const redacted = createRedactor({ env, workspace, allowPaths: globs }).redact(text);
      for (const value of Object.values(ALLOWED)) expect(redacted).toContain(value);
      // In an allowed file too, a value the environment holds is a secret; and nothing outside is allowed.
      for (const value of [PLANTED.githubToken, PLANTED.dotenvRoot, PLANTED.notAllowedFixture]) {
        expect(redacted).not.toContain(value);
      }
    },
  );
});

/** A key pasted where a tier, model or name belongs: the error quotes the configuration, never the key. */
describe('a key pasted into the wrong place of the configuration', () => {
  const { key, entropyKey } = MISPLACED;
  const base = (models: string) =>
    `version: 1\ntask: do it\nmodels:\n${models}\n  providers:\n    vendor: { kind: anthropic, base_url: "http://127.0.0.1:9/v1" }\n`;
  const variants: Array<[string, string]> = [
    ['as a tier', base(`  tiers: [${key}]\n  small: vendor:claude-haiku-4-5`)],
    ['as a model', base(`  tiers: [small]\n  small: vendor:${key}`)],
    ['as a model, no known shape', base(`  tiers: [small]\n  small: vendor:${entropyKey}`)],
    [
      'as a provider field',
      base('  tiers: [small]\n  small: vendor:claude-haiku-4-5').replace(
        'kind: anthropic',
        `kind: anthropic, api_key_env: ${key}`,
      ),
    ],
  ];

  it.each(variants)(
    '%s',
    (_name, yaml) => {
      const workspace = mkdtempSync(join(tmpdir(), 'phasewise-misplaced-'));
      writeFileSync(join(workspace, 'phasewise.yaml'), yaml);
      const channels: Record<string, string> = {};
      for (const args of [['validate'], ['validate', '--json'], ['estimate'], ['run'], ['run', '--json']]) {
        const result = cli(args, { cwd: workspace, env: { ANTHROPIC_API_KEY: PLANTED.configuredKey } });
        expect(result.code, args.join(' ')).not.toBe(0);
        channels[`config error: ${args.join(' ')}`] = result.stdout + result.stderr;
      }
      for (const [channel, text] of Object.entries(channels)) {
        figures.channels.add('config errors');
        expect(text.length, channel).toBeGreaterThan(0);
        expect(text.includes(key) || text.includes(entropyKey), `${channel}: ${text}`).toBe(false);
      }
    },
    60_000,
  );
});
