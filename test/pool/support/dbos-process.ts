/** Starts dbos-child.ts under tsx, from the repository root so `--import tsx` resolves. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const childScript = fileURLToPath(new URL('./dbos-child.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

export function startDbosChild(
  args: string[],
  options: { migrate?: boolean } = {},
): ChildProcessWithoutNullStreams {
  return spawn(
    process.execPath,
    // DBOS 5.3.0's own pg calls print a deprecation warning of pg's; anything else on stderr fails the tests.
    ['--disable-warning=DeprecationWarning', '--import', 'tsx', childScript, ...args],
    {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        PHASEWISE_TEST_DBOS_MIGRATE: options.migrate === false ? 'no' : 'yes',
      },
    },
  );
}
