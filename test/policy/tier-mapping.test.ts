/** Which table model plays each tier: --map, else the configuration's model names, else tier_rank. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors/index.js';
import { parseTierMap } from '../../src/policy/index.js';
import { mapTiers } from '../../src/policy/tier-mapping.js';
import { handTable } from './hand-table.js';

const tiers = ['haiku', 'sonnet', 'opus'];
const tierModels = {
  haiku: 'anthropic:claude-haiku-4-5',
  sonnet: 'anthropic:claude-sonnet-4-5',
  opus: 'anthropic:claude-opus-4-5',
};

function refused(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('accepted');
}

describe('mapTiers', () => {
  it('--map wins, as given (not necessarily in rank order)', () => {
    const map = parseTierMap('haiku=model-b, sonnet=model-a,opus=model-c');
    expect(mapTiers({ tiers, tierModels, table: handTable(), map }).tiers).toEqual([
      { tier: 'haiku', model: 'model-b', tierRank: 2 },
      { tier: 'sonnet', model: 'model-a', tierRank: 1 },
      { tier: 'opus', model: 'model-c', tierRank: 3 },
    ]);
  });

  it('refuses a --map with an unknown model, an unknown tier, a missing tier or a bad entry', () => {
    const table = handTable();
    expect(
      refused(() =>
        mapTiers({ tiers, tierModels, table, map: parseTierMap('haiku=model-a,sonnet=model-b,opus=gpt-9') }),
      ).message,
    ).toBe('--map opus=gpt-9: the outcome table has no model gpt-9');
    expect(
      refused(() => mapTiers({ tiers, tierModels, table, map: parseTierMap('small=model-a') })).message,
    ).toBe('--map names tier small, which the configuration does not have');
    expect(
      refused(() => mapTiers({ tiers, tierModels, table, map: parseTierMap('haiku=model-a') })).message,
    ).toBe('--map does not say which model plays tier sonnet');
    expect(refused(() => parseTierMap('haiku:model-a')).message).toBe(
      '--map entry "haiku:model-a" is not tier=model',
    );
    expect(refused(() => parseTierMap('haiku=a,haiku=b')).message).toBe('--map names tier haiku twice');
  });

  it('by name when the configuration’s models are in the table; an unknown one is an error', () => {
    const table = handTable();
    table.models[0]!.id = 'claude-haiku-4-5';
    table.models[2]!.id = 'anthropic:claude-opus-4-5';
    for (const task of table.tasks) {
      task.results['claude-haiku-4-5'] = task.results['model-a']!;
      task.results['anthropic:claude-opus-4-5'] = task.results['model-c']!;
    }
    // sonnet's model is not in the table, but tier_rank gives haiku and opus their named models: by rank.
    expect(mapTiers({ tiers, tierModels, table })).toEqual({
      how: 'rank',
      tiers: [
        { tier: 'haiku', model: 'claude-haiku-4-5', tierRank: 1 },
        { tier: 'sonnet', model: 'model-b', tierRank: 2 },
        { tier: 'opus', model: 'anthropic:claude-opus-4-5', tierRank: 3 },
      ],
    });
    // When the ranks would give a named tier another model, the names contradict them: an error.
    table.models[0]!.tierRank = 2;
    table.models[1]!.tierRank = 1;
    const error = refused(() => mapTiers({ tiers, tierModels, table }));
    expect(error.message).toBe(
      'tier sonnet of the configuration uses anthropic:claude-sonnet-4-5, which the outcome table has no results for (its models: claude-haiku-4-5, model-b, anthropic:claude-opus-4-5)',
    );
    table.models[0]!.tierRank = 1;
    table.models[1]!.tierRank = 2;
    table.models[1]!.id = 'claude-sonnet-4-5';
    for (const task of table.tasks) task.results['claude-sonnet-4-5'] = task.results['model-b']!;
    expect(mapTiers({ tiers, tierModels, table })).toEqual({
      how: 'name',
      tiers: [
        { tier: 'haiku', model: 'claude-haiku-4-5', tierRank: 1 },
        { tier: 'sonnet', model: 'claude-sonnet-4-5', tierRank: 2 },
        { tier: 'opus', model: 'anthropic:claude-opus-4-5', tierRank: 3 },
      ],
    });
  });

  it('by tier_rank, cheapest first, whatever the order in the file; one model per tier', () => {
    const table = handTable();
    table.models.reverse();
    expect(mapTiers({ tiers, tierModels: {}, table }).tiers.map((tier) => tier.model)).toEqual([
      'model-a',
      'model-b',
      'model-c',
    ]);
    expect(refused(() => mapTiers({ tiers: ['small', 'large'], tierModels: {}, table })).message).toBe(
      "the outcome table has 3 model(s) for the configuration's 2 tier(s) (small, large), so tier_rank cannot pair them",
    );
    table.models[0]!.tierRank = 2;
    const shared = refused(() => mapTiers({ tiers, tierModels: {}, table }));
    expect(shared.message).toBe(
      'models model-c and model-b share tier_rank 2, so tier_rank cannot order them',
    );
    expect(shared.hint).toBe('say which model plays each tier: --map haiku=…,sonnet=…,opus=…');
  });
});
