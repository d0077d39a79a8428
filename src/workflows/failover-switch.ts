/**
 * The failover switch as data: what a read of each switch means (on, off), and which writes a failover or
 * a failback needs. Any one switch Off holds traffic away from the primary, so a failover writes Off to the
 * first switch that accepts the write (the executor tries them in the runbook's order); a failback must
 * turn every switch On. A switch already in the wanted position is reported, never silently skipped: it
 * means someone turned it by hand, or an earlier run did. Pure.
 */
import type { FailoverSwitch, FailoverSwitchSet } from '../runbooks/model/model';
import type { FailoverDirection } from './failover-plan';

export type SwitchPosition = 'on' | 'off';

export interface SwitchReading {
  switchId: string;
  kind: FailoverSwitch['kind'];
  /** Null when the switch could not be read. */
  position: SwitchPosition | null;
  /** The object body or routing control state as read. */
  raw: string | null;
  /** True when the body (state) is exactly the declared On or Off one. */
  declared: boolean;
  /** Version id, cluster endpoint that answered, ...; or the failure. */
  detail: string | null;
  error: string | null;
}

/**
 * What Route 53's check would make of `raw`: an s3-object switch is on while its body holds the search
 * string (the health check's rule), a routing control while its state is On.
 */
export function readSwitch(sw: FailoverSwitch, raw: string, detail: string | null = null): SwitchReading {
  const text = raw.trim();
  const position: SwitchPosition =
    sw.kind === 'arc-routing-control'
      ? text.toLowerCase() === 'on'
        ? 'on'
        : 'off'
      : Buffer.from(raw)
            .subarray(0, 5120)
            .toString('utf8')
            .includes(sw.searchString ?? '\u0000')
        ? 'on'
        : 'off';
  const declared = text === (position === 'on' ? sw.on : sw.off).trim();
  return { switchId: sw.id, kind: sw.kind, position, raw, declared, detail, error: null };
}

export function unreadableSwitch(sw: FailoverSwitch, error: string): SwitchReading {
  return { switchId: sw.id, kind: sw.kind, position: null, raw: null, declared: false, detail: null, error };
}

/** One write to one switch. */
export interface SwitchWrite {
  switchId: string;
  kind: FailoverSwitch['kind'];
  to: SwitchPosition;
  /** s3-object: the exact body to put; arc: `On` / `Off`. */
  value: string;
}

export interface SwitchPlan {
  direction: FailoverDirection;
  /**
   * Failover: candidates in order, the executor stops at the first that succeeds. Failback: every write is
   * needed. Empty when the switches already are where the direction wants them.
   */
  writes: SwitchWrite[];
  mode: 'first-success' | 'all';
  /** The switches already where the direction wants them (turned by hand or by an earlier run). */
  alreadySet: string[];
  notes: string[];
}

export function planSwitch(
  set: FailoverSwitchSet,
  readings: SwitchReading[],
  direction: FailoverDirection,
): SwitchPlan {
  const reading = (sw: FailoverSwitch) => readings.find((r) => r.switchId === sw.id);
  const notes: string[] = [];
  for (const sw of set.switches) {
    const r = reading(sw);
    if (r?.position && !r.declared)
      notes.push(
        `Switch ${sw.id} holds neither declared body (${short(r.raw)}): someone wrote it by hand. Route 53 reads it as ${r.position.toUpperCase()}.`,
      );
  }
  const write = (sw: FailoverSwitch, to: SwitchPosition): SwitchWrite => ({
    switchId: sw.id,
    kind: sw.kind,
    to,
    value: to === 'on' ? sw.on : sw.off,
  });
  if (direction === 'failover') {
    const off = set.switches.filter((sw) => reading(sw)?.position === 'off').map((sw) => sw.id);
    if (off.length > 0) {
      notes.push(
        `Switch ${off.join(', ')} is already Off: traffic is already held away from ${set.primaryRegion} (a failover made by hand or by an earlier run). Nothing to write.`,
      );
      return { direction, writes: [], mode: 'first-success', alreadySet: off, notes };
    }
    return {
      direction,
      writes: set.switches.map((sw) => write(sw, 'off')),
      mode: 'first-success',
      alreadySet: [],
      notes,
    };
  }
  const on = set.switches.filter((sw) => reading(sw)?.position === 'on').map((sw) => sw.id);
  const needed = set.switches.filter((sw) => reading(sw)?.position !== 'on');
  if (needed.length === 0)
    notes.push(
      `Every switch is already On: the failback's switch was turned by hand or by an earlier run. Nothing to write; the evidence says where traffic goes.`,
    );
  return { direction, writes: needed.map((sw) => write(sw, 'on')), mode: 'all', alreadySet: on, notes };
}

/** Position of the set: `off` when any switch is off (that alone holds traffic away from the primary). */
export function setPosition(readings: SwitchReading[]): SwitchPosition | 'unknown' {
  if (readings.some((r) => r.position === 'off')) return 'off';
  if (readings.length > 0 && readings.every((r) => r.position === 'on')) return 'on';
  return 'unknown';
}

function short(text: string | null): string {
  const one = (text ?? '').replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 77)}...` : one || 'empty';
}

/**
 * What a switch request stores and the approver approves: each write with where it goes (the S3 object or
 * the routing control) and the exact value. The executor writes only what this plan holds.
 */
export interface SwitchRequestPlan {
  mechanism: 'switch';
  direction: FailoverDirection;
  setId: string;
  mode: SwitchPlan['mode'];
  writes: (SwitchWrite & { region: string; target: string })[];
  notes: string[];
}

export function switchRequestPlan(set: FailoverSwitchSet, plan: SwitchPlan): SwitchRequestPlan {
  return {
    mechanism: 'switch',
    direction: plan.direction,
    setId: set.id,
    mode: plan.mode,
    writes: plan.writes.map((w) => {
      const sw = set.switches.find((s) => s.id === w.switchId);
      const target =
        sw?.kind === 's3-object' ? `s3://${sw.bucket ?? ''}/${sw.key ?? ''}` : (sw?.routingControlArn ?? '');
      return { ...w, region: sw?.region ?? '', target };
    }),
    notes: plan.notes,
  };
}

export function isSwitchRequestPlan(plan: unknown): plan is SwitchRequestPlan {
  return (plan as { mechanism?: unknown } | null)?.mechanism === 'switch';
}

/**
 * The writes needed now are among the approved ones, value for value (a failback that turned one of two
 * switches before it failed needs only the other): then the executor may write them. Anything else (a
 * switch or a body the approver did not see) is not what was approved.
 */
export function withinApproved(now: SwitchPlan, approved: SwitchRequestPlan): boolean {
  return now.writes.every((w) =>
    approved.writes.some((a) => a.switchId === w.switchId && a.to === w.to && a.value === w.value),
  );
}
