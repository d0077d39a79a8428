/** Route 53 `ChangeResourceRecordSets`: the only write the bot makes to DNS. */
import {
  ChangeResourceRecordSetsCommand,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { type CallOptions, callAws } from './call';
import type { AwsOperation } from './errors';
import type { ChangeInfo, ZoneChangeBatch } from './types';

export const CHANGE_RESOURCE_RECORD_SETS: AwsOperation = {
  service: 'Route 53',
  action: 'ChangeResourceRecordSets',
  iamAction: 'route53:ChangeResourceRecordSets',
};

export async function changeRecordSets(
  client: Route53Client,
  batch: ZoneChangeBatch,
  options: CallOptions = {},
): Promise<ChangeInfo> {
  const out = await callAws(
    CHANGE_RESOURCE_RECORD_SETS,
    (abortSignal) =>
      client.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: batch.hostedZoneId,
          ChangeBatch: {
            Comment: batch.comment,
            Changes: batch.changes.map((c) => ({
              Action: c.Action,
              ResourceRecordSet: c.ResourceRecordSet as ResourceRecordSet,
            })),
          },
        }),
        { abortSignal },
      ),
    options,
  );
  return toChangeInfo(out.ChangeInfo);
}

export function toChangeInfo(
  info: { Id?: string; Status?: string; SubmittedAt?: Date; Comment?: string } | undefined,
): ChangeInfo {
  return {
    changeId: (info?.Id ?? '').replace(/^\/?change\//, ''),
    status: info?.Status === 'INSYNC' ? 'INSYNC' : 'PENDING',
    submittedAt: info?.SubmittedAt?.toISOString() ?? null,
    comment: info?.Comment ?? null,
  };
}
