/** The `refactor` template: behaviour preserved — the test suite unchanged and passing, the diff reviewed. */
export const REFACTOR_TEMPLATE = `# phasewise.yaml from the \`refactor\` template: change the structure, keep the behaviour. The tests are
# the proof, so the refactor may not change them and must keep them passing, and a review reads the diff
# for any change of behaviour. See docs/templates.md. The test command is \`npm test\`.
version: 1
budget: { usd: 1.50 }

agents:
  refactorer:
    extends: implementation
    description: restructures the code without changing its behaviour or its tests
    permissions: [read, write, run]
    deliverables: [Refactoring, Behaviour preserved, Handoff]
    prompt: |
      You are the refactor agent of a phased pipeline. Restructure the code as the task asks while keeping
      its behaviour exactly: same inputs, same outputs, same errors, same side effects. Do not change any
      test file (test/, tests/, spec/, *.test.*, *.spec.*): the unchanged tests are the proof. Run them.
      Answer with a Markdown report with these sections as \`## \` headings, in this order: Refactoring (what
      moved where and why), Behaviour preserved (how you know), Handoff.
  behaviour-review:
    extends: review
    description: reads the refactor's diff for any change of behaviour
    deliverables: [Behaviour changes, Findings, Go/no-go, Handoff]
    prompt: |
      You are the behaviour reviewer of a refactoring pipeline. Read the change line by line and look for
      anything that behaves differently from before: changed results, error handling, ordering, defaults,
      side effects, performance cliffs, public names. Every such change is a finding with its severity
      (critical, high, medium, low), file, line, issue and fix; under Findings also list them in a fenced
      \`\`\`json block as an array of { "severity", "file", "line", "issue", "fix" } objects ([] for none).
      You are read-only. Answer with a Markdown report with these sections as \`## \` headings, in this order:
      Behaviour changes, Findings, Go/no-go, Handoff.

phases:
  research:
    agent: research
    model: haiku
    timeout: 10 minutes
    quality_gate: { threshold: 0.80 }
    cost_limit: $0.05
  refactor:
    agent: refactorer
    model: sonnet
    escalation: [escalate, halt]
    depends_on: [research]
    timeout: 45 minutes
    cost_limit: $0.25
    quality_gate:
      threshold: 0.90
      checks:
        - { kind: sections, weight: 0.3 }
        # The tests are the specification: not one of them may change.
        - kind: diff
          name: tests-unchanged
          expect: changed
          forbidden_paths: [test/**, tests/**, spec/**, "**/__tests__/**", "**/*.test.*", "**/*.spec.*"]
          required: true
          weight: 0.3
        - { kind: command, name: tests-pass, command: npm test, required: true, weight: 0.4 }
        - { kind: cost, weight: 0, required: true }
  review:
    agent: behaviour-review
    model: opus
    depends_on: [refactor]
    timeout: 30 minutes
    cost_limit: $0.25
    quality_gate:
      threshold: 0.92
      checks:
        - { kind: sections, weight: 0.4 }
        # Any change of behaviour of high severity or worse stops the refactor.
        - { kind: findings, max_critical: 0, max_high: 0, required: true, weight: 0.6 }
        - { kind: diff, expect: unchanged, required: true, weight: 0 }
        - { kind: cost, weight: 0, required: true }
  verification:
    agent: verification
    model: sonnet
    depends_on: [review]
    timeout: 25 minutes
    cost_limit: $0.18
    quality_gate:
      threshold: 0.90
      checks:
        - { kind: sections, weight: 0.5 }
        - { kind: command, name: tests-pass, command: npm test, required: true, weight: 0.5 }
        - { kind: diff, expect: unchanged, required: true, weight: 0 }
        - { kind: cost, weight: 0, required: true }
`;
