/** The Route 53 record sets the runbooks declare, for features that look at all of them (status, alarms). */
import type { Artifact, FailoverRecord } from '../runbooks/model/model';

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
