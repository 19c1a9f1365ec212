/**
 * The words the complexity assessment looks for in a task (DESIGN §3). Each term is one idea with the spellings
 * that mean it; a term counts once however often or in however many spellings it appears, so repeating a word
 * cannot inflate a score. Patterns are matched against the lower-cased task, anchored on word boundaries at both
 * ends, so adding text around a match never removes it — the property the monotonicity tests rely on.
 *
 * Changing a list changes scores: bump `COMPLEXITY_RULES_VERSION` in `complexity.ts` with it.
 */

export interface ComplexityTerm {
  /** The name recorded in the signal's reason. */
  term: string;
  /** Matched against the lower-cased task; no `g` flag, so `test` keeps no state between calls. */
  pattern: RegExp;
}

/** Work that needs reasoning through a design rather than following a recipe. */
export const REASONING_TERMS: readonly ComplexityTerm[] = [
  { term: 'architecture', pattern: /\barchitect(?:s|ed|ing|ure|ures|ural)?\b/ },
  { term: 'design', pattern: /\bdesign(?:s|ed|ing)?\b/ },
  { term: 'migrate', pattern: /\bmigrat(?:e|es|ed|ing|ion|ions)\b/ },
  {
    term: 'concurrency',
    pattern:
      /\b(?:concurren(?:cy|t|tly)|race\s+conditions?|deadlocks?|thread[\s-]?safe(?:ty)?|lock[\s-]?free)\b/,
  },
  {
    term: 'distributed',
    pattern:
      /\b(?:distributed|multi[\s-]?regions?|across\s+regions|regions|replicas?|replication|consensus|shard(?:s|ed|ing)?|eventual(?:ly)?\s+consisten(?:t|cy))\b/,
  },
  { term: 'security', pattern: /\b(?:secur(?:e|ed|ing|ity)|threat\s+model(?:s|ing)?)\b/ },
  { term: 'algorithm', pattern: /\b(?:algorithm(?:s|ic)?|optimi[sz](?:e|es|ed|ing|ation))\b/ },
  { term: 'refactor', pattern: /\b(?:refactor(?:s|ed|ing)?|restructur(?:e|es|ed|ing)|rewrit(?:e|es|ing))\b/ },
  { term: 'trade-off', pattern: /\btrade[\s-]?offs?\b/ },
  { term: 'performance', pattern: /\b(?:performan(?:ce|t)|latency|throughput|bottlenecks?)\b/ },
  { term: 'scale', pattern: /\b(?:scal(?:e|es|ing|able|ability)|high[\s-]traffic)\b/ },
  { term: 'caching', pattern: /\b(?:cach(?:e|es|ed|ing)|invalidation)\b/ },
  { term: 'consistency', pattern: /\b(?:transactions?|transactional|idempoten(?:t|cy)|consistency)\b/ },
  {
    term: 'root cause',
    pattern: /\b(?:root[\s-]causes?|intermittent(?:ly)?|flaky|non[\s-]?deterministic)\b/,
  },
];

/** Work whose mistakes are expensive: money, access, data, users, law, uptime. */
export const RISK_TERMS: readonly ComplexityTerm[] = [
  { term: 'production', pattern: /\b(?:production|prod|live\s+traffic)\b/ },
  {
    term: 'payment',
    pattern: /\b(?:payments?|billing|invoic(?:e|es|ing)|checkout|refunds?|financial|money)\b/,
  },
  {
    term: 'auth',
    pattern:
      /\b(?:auth|authn|authz|authenticat(?:e|es|ed|ion)|authori[sz](?:e|es|ed|ation)|oauth2?|sso|login)\b/,
  },
  {
    term: 'secrets',
    pattern:
      /\b(?:credentials?|secrets?|api[\s-]keys?|passwords?|encrypt(?:s|ed|ion)?|decrypt(?:s|ed|ion)?)\b/,
  },
  {
    term: 'data loss',
    pattern:
      /\b(?:data[\s-]loss|lose\s+data|data\s+corruption|corrupt(?:s|ed|ion)?|irreversibl[ey]|drop\s+(?:the\s+)?(?:table|column|database)s?)\b/,
  },
  { term: 'migration', pattern: /\bmigrat(?:e|es|ed|ing|ion|ions)\b/ },
  {
    term: 'breaking change',
    pattern: /\b(?:breaking\s+changes?|backwards?[\s-]compatib(?:le|ility)|public\s+api)\b/,
  },
  {
    term: 'compliance',
    pattern:
      /\b(?:complian(?:ce|t)|gdpr|hipaa|pci(?:[\s-]dss)?|soc\s?2|regulat(?:ed|ion|ions|ory)|audit\s+(?:log|trail)s?)\b/,
  },
  { term: 'privacy', pattern: /\b(?:pii|personal\s+data|privacy)\b/ },
  { term: 'customer', pattern: /\b(?:customers?|customer[\s-]facing|user[\s-]facing|end[\s-]users?)\b/ },
  {
    term: 'downtime',
    pattern: /\b(?:zero[\s-]downtime|downtime|outages?|incidents?|hotfix(?:es)?|roll\s?back|rollbacks?)\b/,
  },
  {
    term: 'vulnerability',
    pattern: /\b(?:vulnerab(?:le|ility|ilities)|exploits?|cve|injection|xss|csrf)\b/,
  },
  { term: 'critical', pattern: /\b(?:critical|mission[\s-]critical|high[\s-]stakes)\b/ },
];

/** The terms of `terms` that `text` mentions, in the list's order (so the result is deterministic). */
export function matchTerms(text: string, terms: readonly ComplexityTerm[]): string[] {
  const lowered = text.toLowerCase();
  return terms.filter(({ pattern }) => pattern.test(lowered)).map(({ term }) => term);
}

/** Words, counting `zero-downtime` and `don't` as one each; punctuation alone is not a word. */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}
