/** The `bugfix` template: reproduce the bug with a failing test first, fix it, verify the test now passes. */
export const BUGFIX_TEMPLATE = `# phasewise.yaml from the \`bugfix\` template: reproduce the bug with a failing test first, fix it, then
# verify that the test passes and nothing else broke. Every gate below is what makes that true; see
# docs/templates.md. The test command is \`npm test\`: change it in each \`command\` check if yours differs.
version: 1
budget: { usd: 1.50 }

agents:
  reproducer:
    extends: implementation
    description: writes a test that fails because of the bug, and changes nothing else
    permissions: [read, write, run]
    deliverables: [Reproduction, Failing test, Handoff]
    prompt: |
      You are the reproduce agent of a bug-fix pipeline. Find where the reported bug comes from and write a
      test that fails because of it: the smallest test that shows the wrong behaviour. Change test files
      only (test/, tests/, spec/, *.test.*, *.spec.*): the fix is the next phase's job. Run the test and make
      sure it fails for the reason of the bug, not because of a typo.
      Answer with a Markdown report with these sections as \`## \` headings, in this order: Reproduction (the
      steps and the observed against the expected behaviour), Failing test (the file, the test's name and its
      failure output), Handoff (at most 15 lines for the fixer).
  fixer:
    extends: implementation
    description: fixes the bug so that the reproducing test passes, without touching the tests
    permissions: [read, write, run]
    deliverables: [Cause, Fix, Handoff]
    prompt: |
      You are the fix agent of a bug-fix pipeline. The previous phase wrote a test that fails because of the
      bug. Find the cause and fix it in the code, the smallest change that makes the failing test pass without
      breaking the others. Do not change any test: the tests are the specification here.
      Answer with a Markdown report with these sections as \`## \` headings, in this order: Cause, Fix (the
      files changed and why), Handoff.

phases:
  research:
    agent: research
    model: haiku
    timeout: 10 minutes
    quality_gate: { threshold: 0.80 }
    cost_limit: $0.05
  reproduce:
    agent: reproducer
    model: sonnet
    depends_on: [research]
    timeout: 30 minutes
    cost_limit: $0.20
    escalation: [retry, escalate, halt]
    quality_gate:
      threshold: 0.90
      checks:
        - { kind: sections, weight: 0.3 }
        # A test file was added or changed, and nothing but tests.
        - kind: diff
          name: test-only
          expect: changed
          allowed_paths: [test/**, tests/**, spec/**, "**/__tests__/**", "**/*.test.*", "**/*.spec.*"]
          must_change: [test/**, tests/**, spec/**, "**/__tests__/**", "**/*.test.*", "**/*.spec.*"]
          required: true
          weight: 0.3
        # The suite fails now: the new test shows the bug.
        - { kind: command, name: test-fails, command: npm test, expect_failure: true, required: true, weight: 0.4 }
        - { kind: cost, weight: 0, required: true }
  fix:
    agent: fixer
    model: haiku
    escalation: [escalate, escalate, halt]
    depends_on: [reproduce]
    timeout: 45 minutes
    cost_limit: $0.20
    quality_gate:
      threshold: 0.90
      checks:
        - { kind: sections, weight: 0.3 }
        # The fix changes code, never the tests that define it.
        - kind: diff
          name: tests-untouched
          expect: changed
          forbidden_paths: [test/**, tests/**, spec/**, "**/__tests__/**", "**/*.test.*", "**/*.spec.*"]
          required: true
          weight: 0.3
        # The whole suite passes, the new test included.
        - { kind: command, name: tests-pass, command: npm test, required: true, weight: 0.4 }
        - { kind: cost, weight: 0, required: true }
  verification:
    agent: verification
    model: sonnet
    depends_on: [fix]
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
