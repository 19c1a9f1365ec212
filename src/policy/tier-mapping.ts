/**
 * Which model of the outcome table plays each tier of the configuration. In order of precedence: `--map
 * haiku=model-a,…` as given; else by name, when the configuration's tier models are in the table
 * (`anthropic:claude-haiku-4-5` or `claude-haiku-4-5`); else by `tier_rank`, cheapest first — also when only some
 * tiers are found by name and the ranks give each of them that same model.
 */
import { UsageError } from '../errors/index.js';
import type { OutcomeTable } from './outcome-table.js';

export interface TierModel {
  tier: string;
  /** The table's model id. */
  model: string;
  tierRank: number;
}

export interface TierMapping {
  how: 'map' | 'name' | 'rank';
  /** The configuration's tiers, cheapest first. */
  tiers: TierModel[];
}

export interface TierMappingInput {
  tiers: readonly string[];
  /** Tier → `provider:model`, from the configuration. */
  tierModels: Readonly<Record<string, string>>;
  table: OutcomeTable;
  /** `--map`, parsed: tier → table model id. */
  map?: Readonly<Record<string, string>>;
}

export function mapTiers(input: TierMappingInput): TierMapping {
  if (input.map !== undefined) return { how: 'map', tiers: fromMap(input, input.map) };
  const named = input.tiers.map((tier) => tableModelFor(input.tierModels[tier] ?? '', input.table));
  if (named.some((model) => model !== undefined)) {
    const missing = input.tiers.find((_tier, index) => named[index] === undefined);
    if (missing !== undefined) {
      const ranked = rankAgreeingWith(input, named);
      if (ranked !== undefined) return { how: 'rank', tiers: ranked };
      throw new UsageError(
        `tier ${missing} of the configuration uses ${input.tierModels[missing]}, which the outcome table has no results for (its models: ${modelList(input.table)})`,
        { hint: 'add that model to the table, or say which model plays each tier with --map tier=model,…' },
      );
    }
    return {
      how: 'name',
      tiers: input.tiers.map((tier, index) => tierModel(input.table, tier, named[index]!)),
    };
  }
  return { how: 'rank', tiers: byRank(input) };
}

/** `haiku=model-a,sonnet=model-b`: tier → model id. Throws `UsageError` on a malformed or repeated entry. */
export function parseTierMap(text: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of text.split(',')) {
    const match = /^\s*([^=\s]+)\s*=\s*([^=\s]+)\s*$/.exec(entry);
    if (match === null)
      throw new UsageError(`--map entry ${JSON.stringify(entry)} is not tier=model`, {
        hint: 'write --map haiku=model-a,sonnet=model-b,opus=model-c',
      });
    const [, tier, model] = match as unknown as [string, string, string];
    if (Object.hasOwn(map, tier)) throw new UsageError(`--map names tier ${tier} twice`);
    map[tier] = model;
  }
  return map;
}

/** The table's id for a configured `provider:model`: the reference itself, or the model part of it. */
export function tableModelFor(ref: string, table: OutcomeTable): string | undefined {
  const bare = ref.slice(ref.indexOf(':') + 1);
  return (
    table.models.find((model) => model.id === ref)?.id ?? table.models.find((model) => model.id === bare)?.id
  );
}

function fromMap(input: TierMappingInput, map: Readonly<Record<string, string>>): TierModel[] {
  for (const tier of Object.keys(map))
    if (!input.tiers.includes(tier))
      throw new UsageError(`--map names tier ${tier}, which the configuration does not have`, {
        hint: `its tiers, cheapest first: ${input.tiers.join(', ')}`,
      });
  return input.tiers.map((tier) => {
    const model = map[tier];
    if (model === undefined)
      throw new UsageError(`--map does not say which model plays tier ${tier}`, {
        hint: `map every tier: ${input.tiers.map((name) => `${name}=…`).join(',')}`,
      });
    if (!input.table.models.some((candidate) => candidate.id === model))
      throw new UsageError(`--map ${tier}=${model}: the outcome table has no model ${model}`, {
        hint: `its models: ${modelList(input.table)}`,
      });
    return tierModel(input.table, tier, model);
  });
}

/**
 * When only some tiers' models are in the table by name, `tier_rank` may still pair every tier, provided it
 * gives each named tier its own model: the names then confirm the ranks instead of contradicting them.
 */
function rankAgreeingWith(
  input: TierMappingInput,
  named: readonly (string | undefined)[],
): TierModel[] | undefined {
  let ranked: TierModel[];
  try {
    ranked = byRank(input);
  } catch {
    return undefined;
  }
  const agrees = ranked.every((entry, index) => named[index] === undefined || named[index] === entry.model);
  return agrees ? ranked : undefined;
}

function byRank(input: TierMappingInput): TierModel[] {
  const models = [...input.table.models].sort((a, b) => a.tierRank - b.tierRank);
  const hint = `say which model plays each tier: --map ${input.tiers.map((tier) => `${tier}=…`).join(',')}`;
  if (models.length !== input.tiers.length)
    throw new UsageError(
      `the outcome table has ${models.length} model(s) for the configuration's ${input.tiers.length} tier(s) (${input.tiers.join(', ')}), so tier_rank cannot pair them`,
      { hint },
    );
  for (let index = 1; index < models.length; index += 1)
    if (models[index]!.tierRank === models[index - 1]!.tierRank)
      throw new UsageError(
        `models ${models[index - 1]!.id} and ${models[index]!.id} share tier_rank ${models[index]!.tierRank}, so tier_rank cannot order them`,
        { hint },
      );
  return input.tiers.map((tier, index) => ({
    tier,
    model: models[index]!.id,
    tierRank: models[index]!.tierRank,
  }));
}

function tierModel(table: OutcomeTable, tier: string, model: string): TierModel {
  return { tier, model, tierRank: table.models.find((candidate) => candidate.id === model)!.tierRank };
}

function modelList(table: OutcomeTable): string {
  return table.models.map((model) => model.id).join(', ');
}
