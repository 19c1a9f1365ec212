/**
 * A separate OS process for the Postgres rate-limit tests: what must hold across processes (the limits shared
 * by all of them, a dead holder's slot freed) cannot be shown inside one.
 *
 *   node --import tsx rate-limit-child.ts calls <url> <schema> <limit JSON> <windowMs> <calls> <holdMs>
 *     makes <calls> calls, 4 at a time, each holding its slot <holdMs>; prints one JSON line as each call starts
 *     (after admission) and ends (before release): {"event":"start"|"end","at":<epoch ms>}
 *   node --import tsx rate-limit-child.ts hold <url> <schema> <limit JSON> <expiryMs>
 *     takes one slot, prints `held`, and keeps it until killed
 */
import { openPostgresAdmissions } from '../../../src/journal/index.js';
import { createRateLimiter } from '../../../src/provider/index.js';

const [mode = '', url = '', schema = '', limitJson = '{}', ...rest] = process.argv.slice(2);
const limits = { fake: JSON.parse(limitJson) as Record<string, number> };

if (mode === 'calls') await calls(Number(rest[0]), Number(rest[1]), Number(rest[2]));
else if (mode === 'hold') await hold(Number(rest[0]));
else throw new Error(`unknown mode ${mode}`);

async function calls(windowMs: number, count: number, holdMs: number): Promise<void> {
  const store = await openPostgresAdmissions({ url, schema, windowMs });
  const limiter = createRateLimiter({ limits, store, pollMs: 25 });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const slot = await limiter.admit({ provider: 'fake', estimatedTokens: 10 });
      console.log(JSON.stringify({ event: 'start', at: Date.now() }));
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      console.log(JSON.stringify({ event: 'end', at: Date.now() }));
      await slot.release({ actualTokens: 10 });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await limiter.close();
}

async function hold(expiryMs: number): Promise<void> {
  const store = await openPostgresAdmissions({ url, schema, expiryMs });
  const limiter = createRateLimiter({ limits, store });
  await limiter.admit({ provider: 'fake', estimatedTokens: 10 });
  console.log('held');
  await new Promise(() => setInterval(() => {}, 1_000));
}
