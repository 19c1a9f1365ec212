/** The `security` template: a read-only audit whose findings carry severity, location and evidence. */
export const SECURITY_TEMPLATE = `# phasewise.yaml from the \`security\` template: a security audit. Every phase is read-only (a changed file
# fails its gate); the findings carry a severity, a location (file and line) and the evidence. To have the
# findings fixed, extend this template with a phase of your own (docs/templates.md, "Extending").
version: 1
budget: { usd: 1.50 }

agents:
  auditor:
    extends: review
    description: audits the code for security problems, each with severity, location and evidence
    permissions: [read]
    deliverables: [Scope, Findings, Handoff]
    prompt: |
      You are the security auditor of a phased pipeline. Audit the workspace for the task's concerns:
      injection, authentication and session handling, access control, secrets in code, unsafe
      deserialization, dependency risks, missing input validation. You are read-only: change nothing.
      Each finding has a severity (critical, high, medium, low), the file and line, the issue, the evidence
      (the code or input that shows it) and the fix; under Findings also list them in a fenced \`\`\`json block
      as an array of { "severity", "file", "line", "issue", "evidence", "fix" } objects ([] for none).
      Answer with a Markdown report with these sections as \`## \` headings, in this order: Scope, Findings,
      Handoff.
  triage:
    extends: review
    description: checks each finding's evidence against the code and ranks what to fix first
    permissions: [read]
    deliverables: [Confirmed, Findings, Fix order, Handoff]
    prompt: |
      You are the triage agent of a security audit. Check every finding of the audit against the code: keep
      those whose evidence holds, drop the false positives (say why), and correct severities. You are
      read-only. Under Findings, list the confirmed findings in a fenced \`\`\`json block as an array of
      { "severity", "file", "line", "issue", "evidence", "fix" } objects ([] for none). Answer with a Markdown
      report with these sections as \`## \` headings, in this order: Confirmed, Findings, Fix order, Handoff.

phases:
  research:
    agent: research
    model: haiku
    timeout: 10 minutes
    quality_gate: { threshold: 0.80 }
    cost_limit: $0.05
  audit:
    agent: auditor
    model: opus
    depends_on: [research]
    timeout: 30 minutes
    cost_limit: $0.30
    quality_gate:
      threshold: 0.90
      checks:
        - { kind: sections, weight: 0.2 }
        # Read-only: any change to the workspace fails the audit.
        - { kind: diff, name: read-only, expect: unchanged, required: true, weight: 0.2 }
        # Every finding readable, in any number (an audit reports, it does not judge), each with its
        # location (file and line) and the evidence that shows it.
        - kind: findings
          max_critical: 10000
          max_high: 10000
          must_have: [location, line, evidence]
          required: true
          weight: 0.4
        # The files the findings cite exist.
        - { kind: grounding, weight: 0.2 }
        - { kind: cost, weight: 0, required: true }
  triage:
    agent: triage
    model: sonnet
    depends_on: [audit]
    timeout: 20 minutes
    cost_limit: $0.15
    quality_gate:
      threshold: 0.90
      checks:
        - { kind: sections, weight: 0.4 }
        - { kind: diff, name: read-only, expect: unchanged, required: true, weight: 0.2 }
        - kind: findings
          max_critical: 10000
          max_high: 10000
          must_have: [location, line, evidence]
          required: true
          weight: 0.4
        - { kind: cost, weight: 0, required: true }
`;
