/** The tools contract, run against every workspace tool set: commands inside bubblewrap, and unconfined. */
import type { SandboxSettings } from '../../src/config/types.js';
import { probeSandbox } from '../../src/tools/sandbox.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { describeToolsContract, type ToolsUnderTestOptions } from './tools-contract.js';

function toolSet(mode: SandboxSettings['mode']) {
  return (options: ToolsUnderTestOptions) =>
    createWorkspaceTools({
      redactor: options.redactor,
      env: { PATH: process.env.PATH, LANG: 'C.UTF-8' },
      killGraceMs: 300,
      ...(options.outputLimitBytes === undefined ? {} : { outputLimitBytes: options.outputLimitBytes }),
      sandbox: { mode, network: false, readOnlyPaths: [], protectedFiles: options.protectedFiles },
    });
}

const sandbox = probeSandbox();
describeToolsContract('bubblewrap sandbox', toolSet('bubblewrap'), {
  ...(sandbox.available ? {} : { unavailable: 'bubblewrap cannot run on this machine' }),
});

describeToolsContract('no sandbox (sandbox: none)', toolSet('none'), {
  commandsConfined:
    'sandbox: none runs commands with the user’s own rights; only the governing files and .git are put back',
});
