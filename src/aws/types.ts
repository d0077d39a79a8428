/**
 * The data the AWS gateway hands to features: plain objects, no SDK types, so renderers, the simulated
 * gateway and tests share them without loading the SDK.
 */

export type { DnsServerAnswer } from '../workflows/dns-answer';
export type { RecordSetShape, ZoneChangeBatch } from '../workflows/failover-plan';
export type { HealthCheckReport, HealthObservation } from '../workflows/failover-state';
export type { HealthCheckConfigView } from '../workflows/health-tree';
export type { ProvisionedConcurrencyState } from '../workflows/warmup';

/** The failover switch object as S3 returned it. */
export interface SwitchObject {
  body: string;
  etag: string | null;
  versionId: string | null;
  lastModified: string | null;
}

export interface SwitchObjectWrite {
  etag: string | null;
  versionId: string | null;
}

export interface RoutingControlRead {
  state: 'On' | 'Off';
  /** Region of the cluster endpoint that answered. */
  endpoint: string;
  attempts: { region: string; url: string; error: string | null }[];
}

export interface RoutingControlWrite {
  state: 'On' | 'Off';
  endpoint: string;
  attempts: { region: string; url: string; error: string | null }[];
}

export interface ChangeInfo {
  /** Route 53 change id without the `/change/` prefix. */
  changeId: string;
  status: 'PENDING' | 'INSYNC';
  submittedAt: string | null;
  comment: string | null;
}

export interface AlarmSummary {
  name: string;
  description: string | null;
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason: string | null;
  updatedAt: string | null;
  region: string;
  type: 'metric' | 'composite';
}

export interface MetricQuery {
  /** CloudWatch query id: lower-case letter first, then letters, digits, `_`. */
  id: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** `Sum`, `Average`, `p99`, ... */
  stat: string;
  periodSeconds: number;
  label?: string;
}

export interface MetricSeries {
  id: string;
  label: string;
  /** ISO timestamps, oldest first, aligned with `values`. */
  timestamps: string[];
  values: number[];
  /** `Complete`, `PartialData`, ... as CloudWatch reports. */
  statusCode: string;
}

export interface TimeWindow {
  start: Date;
  end: Date;
}
