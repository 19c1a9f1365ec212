/** The `docs` template: documentation only — nothing outside docs paths changes; links and examples checked. */
export const DOCS_TEMPLATE = `# phasewise.yaml from the \`docs\` template: write or fix documentation. The writer may change docs paths only
# (docs/, Markdown and reStructuredText files); every other file stays as it is. A checker then follows
# each link and runs each example. See docs/templates.md.
version: 1
budget: { usd: 1.00 }

agents:
  docs-writer:
    extends: implementation
    description: writes documentation, and nothing but documentation
    permissions: [read, write]
    deliverables: [Pages changed, Sources, Handoff]
    prompt: |
      You are the documentation writer of a phased pipeline. Write or correct the documentation the task asks
      for, true to the code as it is: read the code before describing it. Change documentation only (docs/,
      *.md, *.mdx, *.rst); never code, tests or configuration. Cite every file you describe by its path.
      Answer with a Markdown report with these sections as \`## \` headings, in this order: Pages changed,
      Sources (the code files each page describes), Handoff.
  docs-checker:
    extends: verification
    description: follows every link and runs every example of the changed pages
    permissions: [read, run]
    deliverables: [Links checked, Examples run, Findings, Go/no-go, Handoff]
    prompt: |
      You are the documentation checker of a phased pipeline. For each page the writer changed, check that
      every relative link points at a file or heading that exists, and run every command and code example you
      safely can, comparing its output with what the page says. You do not edit anything. Each broken link or
      wrong example is a finding with its severity (critical, high, medium, low), file, line, issue and fix;
      under Findings also list them in a fenced \`\`\`json block as an array of { "severity", "file", "line",
      "issue", "fix" } objects ([] for none). Answer with a Markdown report with these sections as \`## \`
      headings, in this order: Links checked, Examples run, Findings, Go/no-go, Handoff.

phases:
  research:
    agent: research
    model: haiku
    timeout: 10 minutes
    quality_gate: { threshold: 0.80 }
    cost_limit: $0.05
  write:
    agent: docs-writer
    model: sonnet
    escalation: [retry, escalate, halt]
    depends_on: [research]
    timeout: 30 minutes
    cost_limit: $0.20
    quality_gate:
      threshold: 0.90
      checks:
        - { kind: sections, weight: 0.3 }
        # Read-only outside the docs paths.
        - kind: diff
          name: docs-only
          expect: changed
          allowed_paths: [docs/**, "**/*.md", "**/*.mdx", "**/*.rst"]
          required: true
          weight: 0.4
        # The files the pages describe exist.
        - { kind: grounding, weight: 0.3 }
        - { kind: cost, weight: 0, required: true }
  check:
    agent: docs-checker
    model: haiku
    depends_on: [write]
    timeout: 20 minutes
    cost_limit: $0.10
    quality_gate:
      threshold: 0.90
      checks:
        - { kind: sections, weight: 0.4 }
        # No broken link or wrong example of high severity or worse.
        - { kind: findings, max_critical: 0, max_high: 0, required: true, weight: 0.6 }
        - { kind: diff, expect: unchanged, required: true, weight: 0 }
        - { kind: cost, weight: 0, required: true }
`;
