/** The Route 53 record sets the runbooks declare, for features that look at all of them (status, alarms). */
import type { Artifact, FailoverRecord } from '../runbooks/model/model';
import type { FailoverDeclarations } from './simulated-switch';

/** Every declared record set once, across all `records=` tables, in artifact order. */
export function declaredRecords(artifact: Pick<Artifact, 'records'>): FailoverRecord[] {
  const seen = new Set<string>();
  const out: FailoverRecord[] = [];
  for (const list of Object.values(artifact.records ?? {})) {
    for (const r of list) {
      const key = `${r.hostedZoneId} ${r.name.toLowerCase()} ${r.type} ${r.setIdentifier}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(r);
    }
  }
  return out;
}

/** Every switch set, DNS answer table and warm-up row the runbooks declare (the simulated gateway's input). */
export function declaredFailover(
  artifact: Pick<Artifact, 'switches' | 'dnsChecks' | 'warmups'>,
): FailoverDeclarations {
  return {
    switches: Object.values(artifact.switches ?? {}),
    dnsChecks: Object.values(artifact.dnsChecks ?? {}),
    warmups: Object.values(artifact.warmups ?? {}).flat(),
  };
}
