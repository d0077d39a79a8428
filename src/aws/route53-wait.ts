/**
 * Route 53 `GetChange` polling until the change is `INSYNC` (applied on every Route 53 name server,
 * usually within 60 seconds). Sleep is injectable so tests run without waiting.
 */
import { GetChangeCommand, type Route53Client } from '@aws-sdk/client-route-53';
import { type CallOptions, callAws } from './call';
import { AwsCallError, type AwsOperation } from './errors';
import { toChangeInfo } from './route53-change';
import type { ChangeInfo } from './types';

export const GET_CHANGE: AwsOperation = {
  service: 'Route 53',
  action: 'GetChange',
  iamAction: 'route53:GetChange',
};

export interface WaitOptions extends CallOptions {
  /** Between polls. Default 5 s. */
  intervalMs?: number;
  /** Polls before giving up. Default 60 (five minutes at the default interval). */
  maxPolls?: number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * No poll starts after this time (epoch ms, by `now`): the wait gives up in time for its caller to say so
   * and record it before the function's own time runs out (a slow GetChange makes polls longer than their
   * interval). Default: none.
   */
  deadline?: number;
  /** The clock `deadline` is read on. Default `Date.now`. */
  now?: () => number;
  /** Called after every poll (progress in Slack). */
  onPoll?: (info: ChangeInfo, poll: number) => void | Promise<void>;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function getChange(
  client: Route53Client,
  changeId: string,
  options: CallOptions = {},
): Promise<ChangeInfo> {
  const out = await callAws(
    GET_CHANGE,
    (abortSignal) => client.send(new GetChangeCommand({ Id: changeId }), { abortSignal }),
    options,
  );
  return toChangeInfo(out.ChangeInfo);
}

export async function waitForChange(
  client: Route53Client,
  changeId: string,
  options: WaitOptions = {},
): Promise<ChangeInfo & { polls: number }> {
  return pollChange((id) => getChange(client, id, options), changeId, options);
}

/** The polling loop on its own, shared with the simulated gateway. */
export async function pollChange(
  get: (changeId: string) => Promise<ChangeInfo>,
  changeId: string,
  options: WaitOptions = {},
): Promise<ChangeInfo & { polls: number }> {
  const interval = options.intervalMs ?? 5_000;
  const maxPolls = options.maxPolls ?? 60;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  let poll = 0;
  while (poll < maxPolls) {
    poll++;
    const info = await get(changeId);
    await options.onPoll?.(info, poll);
    if (info.status === 'INSYNC') return { ...info, polls: poll };
    if (poll >= maxPolls || (options.deadline !== undefined && now() + interval >= options.deadline)) break;
    await sleep(interval);
  }
  throw new AwsCallError(
    GET_CHANGE,
    'timeout',
    'StillPending',
    `Route 53 GetChange still reports change ${changeId} as PENDING after ${poll} checks. The change was submitted; check it again with Retry or in the Route 53 console.`,
  );
}
