/** Every benchmark, one after the other: `npm run bench`. Figures are medians with min and max. */
import { cpus } from 'node:os';
import { cliColdStart } from './cli-cold-start.js';
import { demoCost } from './demo-cost.js';
import { engineOverhead } from './engine-overhead.js';
import { policyEfficiency } from './policy-efficiency.js';
import { providerLoop } from './provider-loop.js';
import { argValue } from './stats.js';

console.log(
  `phasewise benchmarks · ${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · Node ${process.versions.node}\n`,
);
console.log((await engineOverhead({ runs: argValue('runs', 7), phases: 5, turns: 20 })).join('\n'));
console.log('');
console.log((await providerLoop({ runs: argValue('runs', 5), turns: 20 })).join('\n'));
console.log('');
console.log((await cliColdStart({ runs: argValue('runs', 15) })).join('\n'));
console.log('');
console.log((await demoCost()).join('\n'));
console.log('');
console.log((await policyEfficiency({ tasks: argValue('tasks', 200) })).join('\n'));
