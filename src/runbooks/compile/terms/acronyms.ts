/**
 * Acronyms on-call engineers type, spelled out in the words runbooks use: web performance (Core Web
 * Vitals and Lighthouse metrics) and operations. Compiled into search synonyms (terms/index.ts); each
 * acronym also gets its spelled-out form as an idiom (`largest contentful paint` → `lcp`).
 */

/** Web performance metrics (web.dev, Lighthouse). All describe how fast a page loads or responds. */
export const WEB_PERFORMANCE: Readonly<Record<string, string>> = {
  lcp: 'largest contentful paint, page load slow, web vitals',
  fcp: 'first contentful paint, page load slow, web vitals',
  inp: 'interaction to next paint, page load slow, web vitals',
  fid: 'first input delay, page load slow, web vitals',
  cls: 'cumulative layout shift, web vitals',
  // Measured on the page the browser loads: a page-load metric, like LCP (web.dev).
  ttfb: 'time to first byte, page load slow',
  tti: 'time to interactive, page load slow',
  tbt: 'total blocking time, page load slow, javascript',
  si: 'speed index, page load slow',
  cwv: 'core web vitals, web vitals, lcp',
  'core web vitals': 'web vitals, lcp',
  'web vitals': 'lcp, page load',
  'page speed': 'page load slow, lighthouse',
  pagespeed: 'page load slow, lighthouse',
  'bundle size': 'bundle, javascript',
  ttft: 'time to first token, slow generation',
};

/** Operations and AWS acronyms. */
export const OPERATIONS: Readonly<Record<string, string>> = {
  // Not `failover`: a question about the target is not a request to run the procedure.
  rto: 'recovery time objective, rto, recovery',
  rpo: 'recovery point objective, rpo, replication',
  pitr: 'point-in-time recovery, pitr, backups',
  crr: 'cross-region replication, s3 replication',
  // DynamoDB global tables and how they resolve conflicts (DynamoDB developer guide).
  lww: 'last writer wins, global tables',
  gt: 'global tables, dynamodb',
  oom: 'out of memory, memory',
  oomkilled: 'out of memory, memory, killed',
  sse: 'server-sent events, stream, eventsource',
  tpm: 'tokens per minute, quota',
  rpm: 'requests per minute, quota, throttling',
  tam: 'technical account manager, aws support',
  ic: 'incident commander',
  fis: 'fault injection, chaos engineering',
  sre: 'on-call',
  sla: 'severity, escalation',
  slo: 'baseline, latency',
  mttr: 'incident, escalation',
  iac: 'terraform, infrastructure',
  cicd: 'pipeline, github actions, deploy',
  'ci/cd': 'pipeline, github actions, deploy',
  ci: 'pipeline, github actions, build',
  cd: 'pipeline, deploy',
  gha: 'github actions',
  pr: 'pull request',
  prs: 'pull request',
  cfn: 'cloudformation',
  // Front end, as engineers shorten it ("FE deploy green").
  fe: 'frontend',
  cf: 'cloudfront, cloudformation',
  cw: 'cloudwatch',
  ecr: 'container image, ecr',
  sm: 'secrets manager',
  kms: 'kms, key',
  iam: 'iam, permissions',
  sts: 'credentials, assume role',
  // IAM Identity Center's informal short name (the successor of AWS SSO).
  idc: 'iam identity center, identity center, sso',
  sso: 'single sign on, sso, iam identity center, sso login',
  apig: 'api gateway',
  cwl: 'cloudwatch logs',
  waf: 'waf, firewall',
  acm: 'certificate',
  ttl: 'ttl, dns',
  asg: 'scaling, capacity',
  pc: 'provisioned concurrency',
  hc: 'health check',
  hcs: 'health check',
  cx: 'customers, users',
  eta: 'estimate',
  sev: 'severity',
  // The review after an incident, as the all-clear schedules it.
  pir: 'post-incident review',
  pd: 'pager, on-call',
  pagerduty: 'pager, on-call',
  opsgenie: 'pager, on-call',
  // Data-protection law and its roles: the question is where tenants' data is processed and stored.
  popia: 'data residency',
  gdpr: 'data residency',
  dpo: 'data residency',
  dpa: 'data residency',
};
