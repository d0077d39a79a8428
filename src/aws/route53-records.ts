/** Route 53 `ListResourceRecordSets`, narrowed to one name and type (a failover pair). */
import {
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  type Route53Client,
  type RRType,
} from '@aws-sdk/client-route-53';
import { normalizeRecordName, normalizeZoneId } from '../workflows/failover-plan';
import { type CallOptions, callAws } from './call';
import type { AwsOperation } from './errors';
import type { RecordSetShape } from './types';

export const LIST_RESOURCE_RECORD_SETS: AwsOperation = {
  service: 'Route 53',
  action: 'ListResourceRecordSets',
  iamAction: 'route53:ListResourceRecordSets',
};

/** A failover pair is two record sets; a few pages is plenty even with other routing policies mixed in. */
const MAX_PAGES = 5;

export async function listRecordSets(
  client: Route53Client,
  input: { hostedZoneId: string; name: string; type: string },
  options: CallOptions = {},
): Promise<RecordSetShape[]> {
  const hostedZoneId = normalizeZoneId(input.hostedZoneId);
  const wanted = normalizeRecordName(input.name);
  const type = input.type.toUpperCase();
  const found: RecordSetShape[] = [];
  let start: { name: string; type: string; identifier?: string } | null = { name: input.name, type };
  for (let page = 0; page < MAX_PAGES && start; page++) {
    const from: { name: string; type: string; identifier?: string } = start;
    const out = await callAws(
      LIST_RESOURCE_RECORD_SETS,
      (abortSignal) =>
        client.send(
          new ListResourceRecordSetsCommand({
            HostedZoneId: hostedZoneId,
            StartRecordName: from.name,
            StartRecordType: from.type as RRType,
            ...(from.identifier ? { StartRecordIdentifier: from.identifier } : {}),
            MaxItems: 10,
          }),
          { abortSignal },
        ),
      options,
    );
    const sets = out.ResourceRecordSets ?? [];
    for (const r of sets) {
      if (normalizeRecordName(r.Name ?? '') !== wanted || r.Type !== type) continue;
      found.push(toShape(r));
    }
    // Records come sorted by name then type: once past our pair, stop.
    const last = sets[sets.length - 1];
    const pastOurs =
      last !== undefined && (normalizeRecordName(last.Name ?? '') !== wanted || last.Type !== type);
    start =
      out.IsTruncated && !pastOurs && out.NextRecordName
        ? {
            name: out.NextRecordName,
            type: out.NextRecordType ?? type,
            ...(out.NextRecordIdentifier ? { identifier: out.NextRecordIdentifier } : {}),
          }
        : null;
  }
  return found;
}

function toShape(r: ResourceRecordSet): RecordSetShape {
  const shape: RecordSetShape = { Name: r.Name ?? '', Type: r.Type ?? '' };
  if (r.SetIdentifier !== undefined) shape.SetIdentifier = r.SetIdentifier;
  if (r.Failover !== undefined) shape.Failover = r.Failover;
  if (r.TTL !== undefined) shape.TTL = r.TTL;
  if (r.ResourceRecords && r.ResourceRecords.length > 0) {
    shape.ResourceRecords = r.ResourceRecords.map((v) => ({ Value: v.Value ?? '' }));
  }
  if (r.AliasTarget) {
    shape.AliasTarget = {
      HostedZoneId: r.AliasTarget.HostedZoneId ?? '',
      DNSName: r.AliasTarget.DNSName ?? '',
      EvaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth ?? false,
    };
  }
  if (r.HealthCheckId) shape.HealthCheckId = r.HealthCheckId;
  return shape;
}
