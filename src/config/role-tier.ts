import type { RoleDefaults } from './defaults.js';

/**
 * The tier a role gets by default. The role's preferred tier when it is configured; otherwise the tier at the
 * same position (haiku the cheapest, sonnet the middle, opus the top), so renaming the tiers keeps each role's
 * place on the ladder. A role without a preference gets the middle tier.
 */
export function defaultTierFor(role: RoleDefaults, tiers: readonly string[]): string {
  if (role.tier !== undefined && tiers.includes(role.tier)) return role.tier;
  const last = tiers.length - 1;
  const index = role.tier === 'haiku' ? 0 : role.tier === 'opus' ? last : Math.floor(last / 2);
  return tiers[index] ?? '';
}
