/** The `performance` template: a benchmark before and after, each a gate, and the improvement stated. */
export const PERFORMANCE_TEMPLATE = `# phasewise.yaml from the \`performance\` template: measure, improve, measure again. The baseline and the
# final measurement must each state their figures (lines such as "Before: 120 ms", "After: 80 ms",
# "Improvement: 33 %") or their gates fail; the change must keep the tests passing. See docs/templates.md.
version: 1
budget: { usd: 2.00 }

agents:
  benchmarker:
    extends: verification
    description: runs the benchmark and states its figures
    permissions: [read, run]
    deliverables: [Benchmark, Figures, Handoff]
    prompt: |
      You are the benchmark agent of a performance pipeline. Find or write the command that measures what the
      task wants faster (an existing benchmark script first), run it several times and report the median. You
      do not edit files. Under Figures, write one line per figure in the form \`Before: <number> <unit>\` (the
      baseline, before any change), and once the change is made, also \`After: <number> <unit>\` and
      \`Improvement: <number> %\`. Answer with a Markdown report with these sections as \`## \` headings, in
      this order: Benchmark (the exact command and the machine), Figures, Handoff.
  optimizer:
    extends: implementation
    description: makes the measured path faster without changing its behaviour
    permissions: [read, write, run]
    deliverables: [Changes, Expected effect, Handoff]
    prompt: |
      You are the optimization agent of a performance pipeline. The baseline's figures are in the handoff.
      Make the measured path faster, keeping its behaviour and its tests as they are, and run the tests.
      Answer with a Markdown report with these sections as \`## \` headings, in this order: Changes, Expected
      effect, Handoff.

phases:
  research:
    agent: research
    model: haiku
    timeout: 10 minutes
    quality_gate: { threshold: 0.80 }
    cost_limit: $0.05
  baseline:
    agent: benchmarker
    model: haiku
    depends_on: [research]
    timeout: 20 minutes
    cost_limit: $0.08
    quality_gate:
      threshold: 0.90
      checks:
        - { kind: sections, weight: 0.4 }
        # The baseline figure is stated.
        - { kind: matches, name: baseline-figure, patterns: ["^\\\\W*before\\\\W*:\\\\W*[-+]?\\\\d"], required: true, weight: 0.6 }
        - { kind: diff, expect: unchanged, required: true, weight: 0 }
        - { kind: cost, weight: 0, required: true }
  optimize:
    agent: optimizer
    model: sonnet
    escalation: [escalate, halt]
    depends_on: [baseline]
    timeout: 45 minutes
    cost_limit: $0.30
    quality_gate:
      threshold: 0.90
      checks:
        - { kind: sections, weight: 0.3 }
        - { kind: diff, expect: changed, required: true, weight: 0.3 }
        - { kind: command, name: tests-pass, command: npm test, required: true, weight: 0.4 }
        - { kind: cost, weight: 0, required: true }
  measure:
    agent: benchmarker
    model: haiku
    depends_on: [optimize]
    timeout: 20 minutes
    cost_limit: $0.08
    quality_gate:
      threshold: 0.90
      checks:
        - { kind: sections, weight: 0.4 }
        # Before, after and the improvement, each with its figure.
        - kind: matches
          name: benchmark-figures
          patterns:
            - "^\\\\W*before\\\\W*:\\\\W*[-+]?\\\\d"
            - "^\\\\W*after\\\\W*:\\\\W*[-+]?\\\\d"
            - "^\\\\W*improvement\\\\W*:\\\\W*[-+]?\\\\d"
          required: true
          weight: 0.6
        - { kind: diff, expect: unchanged, required: true, weight: 0 }
        - { kind: cost, weight: 0, required: true }
`;
