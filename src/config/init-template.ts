/**
 * The file `phasewise init` writes: the built-in workflow spelled out, every value its default, with comments
 * saying what each key does. A test loads it back and compares it with `builtinWorkflow`.
 */
const TEMPLATE = `# phasewise.yaml: the workflow phasewise runs. Every value below is the default; change what you need.
# Paths are relative to this file.
version: 1

# The task: inline text or a path to a Markdown file. \`phasewise run "TASK"\` overrides it.
# task: ./TASK.md

# The repository the agents work in.
workspace: .

# Spending limit of the whole run, in USD. Each phase also has its own cost_limit.
budget: { usd: 1.50 }

# Optional limit on the whole run's duration.
# deadline: 2 hours

# How many phases whose dependencies are done may run at the same time.
concurrency: 2

# How many times critical review findings may send the work back to implementation before the run halts.
review_rounds: 2

models:
  # The tiers in escalation order, cheapest first, and the provider:model behind each.
  tiers: [haiku, sonnet, opus]
  haiku: anthropic:claude-haiku-4-5
  sonnet: anthropic:claude-sonnet-4-5
  opus: anthropic:claude-opus-4-5
  # anthropic (ANTHROPIC_API_KEY), openai (OPENAI_API_KEY) and scripted are known; declare others here:
  # providers:
  #   ollama:
  #     kind: openai-compatible          # also: anthropic, openai, claude-code, scripted
  #     base_url: http://127.0.0.1:11434/v1
  #     api_key_env: OLLAMA_API_KEY      # the variable's name, never the key itself
  #     pricing: { "llama3.1": { input: 0, output: 0 } }   # USD per million tokens

# When a phase fails its quality gate, in this order: retry with the failed checks as feedback, escalate to
# the next tier, halt for manual review. A phase can set its own \`escalation:\` (implementation does).
escalation: [retry, escalate, halt]

# The phases. \`model\` is a tier, a provider:model, or auto (chosen from the task's complexity).
# \`timeout\` takes "10m", "600s", "10 minutes" or "1h30m"; \`cost_limit\` takes 0.05 or "$0.05".
# Each phase may also set max_turns (default 40) and max_output_tokens (default 8192). The gate's checks
# default per role (research: sections, grounding, cost, and an unchanged workspace; implementation: sections,
# a changed workspace, cost; review: sections, findings, cost, unchanged workspace; ...). List them to override;
# a failed \`required\` check vetoes the phase whatever the score:
#   quality_gate:
#     threshold: 0.90
#     checks:
#       - { kind: sections, weight: 0.5 }
#       - { kind: command, name: tests, command: npm test, timeout: 5m, required: true }
#       - { kind: judge, weight: 0.3, rubric: ["Every check run is reported with its result"] }
#       - { kind: cost, weight: 0.2, required: true }
# Other kinds: grounding (cited paths exist), findings (max_critical, max_high), diff (expect: unchanged or
# changed, allowed_paths, forbidden_paths, must_change), custom (module: ./checks/my-check.mjs), matches
# (patterns: regular expressions the report must state), work-items (a plan's work items are usable; required
# unless required: false). A command check may expect_failure: true (a test that must fail before a fix).
# Other workflows: \`phasewise templates\` lists them; \`extends: bugfix\` starts from one (docs/templates.md).
phases:
  research:
    agent: research            # a built-in role or one defined under agents:
    model: haiku
    timeout: 10 minutes
    quality_gate: { threshold: 0.80 }
    cost_limit: $0.05
  planning:
    agent: planning
    model: opus
    timeout: 20 minutes
    quality_gate: { threshold: 0.95 }
    cost_limit: $0.30
    depends_on: [research]
  implementation:
    agent: implementation
    model: haiku               # start cheap and climb: docs/policy.md says why, with the figures
    escalation: [escalate, escalate, halt]
    timeout: 45 minutes
    quality_gate: { threshold: 0.88 }
    cost_limit: $0.20
    depends_on: [planning]
    # One agent per work item of the plan, side by side, each in its own git worktree, then merged; with
    # required: false, one agent does the phase where that cannot help (no git repository, items in a chain):
    fan_out: { from: planning, required: false }   # or { from: planning, max_parallel: 3, item_cost_limit: $0.08 }, or off
  review:
    agent: review
    model: opus
    timeout: 30 minutes
    quality_gate: { threshold: 0.92 }
    cost_limit: $0.25
    depends_on: [implementation]
  verification:
    agent: verification
    model: sonnet
    timeout: 25 minutes
    quality_gate: { threshold: 0.90 }
    cost_limit: $0.18
    depends_on: [review]

# Roles of your own, used by a phase's \`agent:\`:
# agents:
#   security-review:
#     extends: review                        # start from a built-in role
#     description: reviews the change for security problems only
#     prompt: ./prompts/security-review.md   # or inline text
#     deliverables: [Findings, Go/no-go, Handoff]
#     permissions: [read]                    # read, write, run
`;

export function initTemplate(): string {
  return TEMPLATE;
}
