/**
 * What `runbook lint` requires, as data (issue 2 §2, docs/runbook-format.md). Headings are matched by
 * normalised words, so better wording passes: a topic is a list of alternatives separated by `|`, and a
 * heading matches an alternative when it contains all of its words (case, punctuation and a plural `s`
 * ignored; `on-call` is `on call`).
 */

export interface RequiredRunbook {
  file: string;
  /** Each topic must be its own heading somewhere in the file. */
  topics: string[];
  /** At least this many `tree=` sections (TROUBLESHOOTING: one per issue family). */
  minTrees?: number;
  /** At least one approval gate (PROMOTION). */
  needsGate?: boolean;
}

export const REQUIRED_RUNBOOKS: RequiredRunbook[] = [
  {
    file: 'DEPLOYMENT.md',
    topics: [
      'prerequisites | requirements | before you start',
      'deployment steps | deploy steps | deployment procedure | deploying',
      'infrastructure | terraform',
      'backend | lambda',
      'agents | agentcore',
      'frontend | cloudfront',
      'verification | verify | verifying',
      'rollback | roll back',
    ],
  },
  {
    file: 'PROMOTION.md',
    topics: [
      'pre promotion | before promotion | promotion checklist',
      'dev sit',
      'sit prod',
      'post promotion | after promotion',
    ],
    needsGate: true,
  },
  {
    file: 'TROUBLESHOOTING.md',
    topics: [
      'generation issues | generation problems | generation',
      'authentication issues | authentication problems | authentication | auth',
      'deployment issues | deployment problems | deployment | deploy',
      'performance issues | performance problems | performance',
      'generation timeout',
      'invalid response',
      'connection lost',
      'token expired',
      'access denied',
      'session invalid',
      'build failed',
      'deploy stuck',
      'site not updating',
      'slow generation',
      'page load slow',
      'api timeout',
      'decision trees',
      'escalation paths | escalation',
    ],
    minTrees: 4,
  },
  {
    file: 'DR_FAILOVER.md',
    topics: [
      'dr architecture | disaster recovery architecture',
      'failover triggers | triggers',
      'failover procedure',
      'step 1 confirm',
      'step 2 warm up',
      'step 3 route 53',
      'step 4 verify',
      'step 5 notify',
      'notification template | template',
      'failback procedure | failback',
      'testing schedule | dr drills | testing',
    ],
  },
  {
    file: 'ARCHITECTURE.md',
    topics: ['components', 'data flows | data flow', 'regions | region', 'trust boundaries | trust boundary'],
  },
  {
    file: 'OPERATIONS.md',
    topics: [
      'daily checks | daily',
      'weekly checks | weekly',
      'on call handover | handover',
      'routine tasks | routine',
      'escalation contacts | contacts',
    ],
  },
];

/** Sub-headings every symptom heading (one that starts with the quoted message) has, in this order. */
export const SYMPTOM_SUBHEADINGS = [
  'what you see',
  'likely causes | causes',
  'diagnosis | diagnose',
  'fix',
  'verify | verification',
  'escalate | escalation',
];

/** Files in the runbook directory that are not runbooks (no Mermaid diagram required). */
export const NOT_RUNBOOKS = /^readme\.md$/i;

/** Directive keys the bot understands (docs/runbook-format.md). Anything else is a typo. */
export const KNOWN_DIRECTIVES = new Set([
  'keywords',
  'checklist',
  'command',
  'title',
  'records',
  'step',
  'evidence',
  'action',
  'approve',
  'notify',
  'monitor',
  'period',
  'tree',
  'contacts',
  'escalation',
  'template',
  'switch',
  'warmup',
  'dns',
  // Reaching people (issue 19): gates' and steps' waits, templates' cadence and audience, the all-clear.
  'remind',
  'escalate',
  'update',
  'update-template',
  'owner',
  'reviewed',
  'local',
  'all-clear',
  'parallel',
  'takeover',
  'alarms',
  'dr-trigger',
  'criteria',
  'canary-criteria',
  'region',
  'alias',
  'function-name',
]);

/** Fence languages checked as shell: `bash -n` with bash, shellcheck with the given dialect. */
export const SHELL_LANGS: Record<string, 'bash' | 'sh'> = { bash: 'bash', sh: 'sh', shell: 'bash' };

/** Shellcheck codes not applied to runbook snippets, each with its reason. */
export const SHELLCHECK_EXCLUDE = [
  // SC1091: `source` of a file that exists only on the operator's machine cannot be followed.
  'SC1091',
];

/**
 * Values for variables a runbook uses but does not define, chosen by the words of the name (`_`-separated)
 * so the CLI accepts their type; the first match wins.
 */
export const PLACEHOLDERS: { name: RegExp; value: string }[] = [
  { name: /(^|_)(START|END|SINCE|UNTIL|TIME|DATE|TIMESTAMP)(_|$)/, value: '2024-01-01T00:00:00Z' },
  {
    name: /(^|_)(PERIOD|SECONDS|COUNT|PORT|LIMIT|MINUTES|HOURS|DAYS|SIZE|NUM|MAX|MIN|TTL|WEIGHT|PERCENT|THRESHOLD)(_|$)/,
    value: '60',
  },
  { name: /REGION/, value: 'eu-west-1' },
  { name: /(^|_)ACCOUNT(_|$)/, value: '123456789012' },
  { name: /(^|_)ARN(_|$)/, value: 'arn:aws:iam::123456789012:role/placeholder' },
  { name: /(^|_)(URL|ENDPOINT)(_|$)/, value: 'https://example.com' },
];
export const DEFAULT_PLACEHOLDER = 'placeholder';
/** A `$(date ...)` substitution is a timestamp; any other substitution gets the default placeholder. */
export const TIMESTAMP_PLACEHOLDER = '2024-01-01T00:00:00Z';

/** The AWS CLI v2 (`/usr/bin/aws` from Debian's awscli; /root/.pyenv/shims/aws may be v1). */
export const AWS_CLI = '/usr/bin/aws';
/** AWS CLI v2 exit codes: 252 = command line could not be parsed; anything else means it parsed. */
export const AWS_SYNTAX_ERROR_EXIT = 252;
export const AWS_TIMEOUT_MS = 20_000;
export const AWS_POOL = 2;
