/**
 * How people talk about a warm-standby DR setup, as opposed to how runbooks write it: data is "copied" and
 * "in sync" where runbooks say replication; the standby "takes traffic" where they say failover; traffic
 * "moved back" where they say failback. Compiled into search synonyms (terms/index.ts). The regions and
 * their roles are not here: they are read from the runbooks (compile/region-roles.ts).
 */

/** phrase → comma-separated runbook phrases. */
export const DR_PHRASES: Readonly<Record<string, string>> = {
  // Replication.
  copied: 'replication, replicated, replica',
  'copied back': 'replication, synchronise data',
  'in sync': 'replication, replicated, synchronise',
  'out of sync': 'replication lag, replication',
  'keeping up': 'replication lag, replication',
  'falling behind': 'replication lag',
  'far behind': 'replication lag',
  lagging: 'replication lag, lag',
  behind: 'lag, replication lag',
  // What a failover can lose.
  'lose data': 'recovery point, rpo, data loss',
  'data lost': 'recovery point, rpo, data loss',
  'how much data': 'recovery point, rpo, data loss',
  // Standby capacity.
  'kept warm': 'provisioned concurrency, warm standby',
  'scale down': 'standby capacity, standby concurrency',
  'scale back': 'standby capacity, standby concurrency',
  'scaled down': 'standby capacity, standby concurrency',
  // "Warm standby: eu-west-1 runs the full stack at minimum capacity": scaling it back down is returning
  // it to that (Failback's Step 5).
  'back down': 'standby capacity, standby concurrency',
  'back to minimum': 'standby capacity, standby concurrency',
  'down to minimum': 'standby capacity, standby concurrency',
  // Taking and giving back traffic.
  'take traffic': 'failover, serves traffic, standby takes over',
  'flip over': 'failover, failover switch',
  'flip back': 'failback, failover switch',
  'flipped over': 'failover, failed over',
  'flipped to': 'failover, failed over',
  'flipped back': 'failback, failed back',
  'cut over': 'failover',
  cutover: 'failover',
  switchover: 'failover',
  'moved back': 'failback',
  'moving back': 'failback',
  'going back': 'failback',
  'back home': 'failback',
  // Who and why.
  decides: 'decision, incident commander',
  decide: 'decision, incident commander',
  'on its own': 'automatic, automated',
  // Which region answers.
  resolves: 'dns answer, name servers',
  'resolving to': 'dns answer, name servers',
};
