/**
 * How a configuration that `extends:` a template is laid over it, before validation (docs/templates.md):
 * mappings merge key by key, all the way down — so `phases` merge by phase name and a phase's `quality_gate`
 * by key; lists (`depends_on`, `checks`, `tiers`, `escalation`) replace the template's whole; a scalar
 * replaces; `null` removes the key (a phase, an agent, a setting) from the template. `extends` itself is
 * consumed by the merge.
 */
export type PlainMapping = Record<string, unknown>;

export function mergeOverTemplate(template: PlainMapping, override: PlainMapping): PlainMapping {
  const merged: PlainMapping = { ...template };
  for (const [key, value] of Object.entries(override)) {
    if (key === 'extends') continue;
    if (value === null) {
      delete merged[key];
      continue;
    }
    const base = merged[key];
    merged[key] = isMapping(base) && isMapping(value) ? mergeOverTemplate(base, value) : value;
  }
  delete merged.extends;
  return merged;
}

export function isMapping(value: unknown): value is PlainMapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
