/** Every benchmark, one after the other: `npm run bench`. Figures are medians with min and max. */
import { cpus } from 'node:os';
import { cacheLifetimeBench } from './cache-lifetime.js';
import { cliColdStart } from './cli-cold-start.js';
import { demoCost } from './demo-cost.js';
import { durableScale } from './durable-scale.js';
import { engineOverhead } from './engine-overhead.js';
import { fanOutBench } from './fan-out.js';
import { journalWriteBench } from './journal-write.js';
import { orchestrationOverhead } from './orchestration-overhead.js';
import { phaseCacheBench } from './phase-cache.js';
import { policyEfficiency } from './policy-efficiency.js';
import { poolThroughput } from './pool-throughput.js';
import { providerLoop } from './provider-loop.js';
import { argValue } from './stats.js';
import { toolCallBench } from './tool-call.js';

console.log(
  `phasewise benchmarks · ${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · Node ${process.versions.node}\n`,
);
console.log((await orchestrationOverhead({ runs: argValue('runs', 7), phases: 5, turns: 10 })).join('\n'));
console.log('');
console.log((await engineOverhead({ runs: argValue('runs', 7), phases: 5, turns: 20 })).join('\n'));
console.log('');
console.log((await journalWriteBench({ steps: 2000, rounds: 5 })).join('\n'));
console.log('');
console.log((await providerLoop({ runs: argValue('runs', 5), turns: 20 })).join('\n'));
console.log('');
console.log((await toolCallBench({ calls: 2000, rounds: 5 })).join('\n'));
console.log('');
console.log((await cliColdStart({ runs: argValue('runs', 15) })).join('\n'));
console.log('');
console.log((await durableScale({ runs: 3, held: 500, concurrency: [1, 10, 50] })).join('\n'));
console.log('');
console.log((await demoCost()).join('\n'));
console.log('');
console.log((await cacheLifetimeBench()).join('\n'));
console.log('');
console.log((await phaseCacheBench({ runs: 3, latencyMs: 200 })).join('\n'));
console.log('');
console.log((await fanOutBench({ runs: 3, latencyMs: 1500 })).join('\n'));
console.log('');
console.log(
  (
    await poolThroughput({
      rounds: 3,
      runsPerWorker: 8,
      concurrency: 4,
      latencyMs: 300,
      workers: [1, 2, 4],
      engineRounds: 1,
      recoveryRounds: 3,
      leases: [3000, 6000],
    })
  ).join('\n'),
);
console.log('');
console.log((await policyEfficiency({ tasks: argValue('tasks', 200) })).join('\n'));
