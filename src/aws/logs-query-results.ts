/**
 * CloudWatch Logs `GetQueryResults`, polled until the query is no longer `Scheduled` or `Running` (Logs
 * Insights queries usually finish in seconds). Sleep is injectable so tests run without waiting.
 */
import { type CloudWatchLogsClient, GetQueryResultsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { type CallOptions, callAws } from './call';
import { AwsCallError, type AwsOperation } from './errors';
import { defaultSleep } from './route53-wait';

export const GET_QUERY_RESULTS: AwsOperation = {
  service: 'CloudWatch Logs',
  action: 'GetQueryResults',
  iamAction: 'logs:GetQueryResults',
};

export interface LogsQueryResult {
  /** `Complete`; anything else (`Failed`, `Cancelled`, `Timeout`, `Unknown`) is no data. */
  status: string;
  /** One object per result row: field → value. */
  rows: Record<string, string>[];
}

export interface QueryWaitOptions extends CallOptions {
  /** Between polls. Default 1 s. */
  intervalMs?: number;
  /** Polls before giving up. Default 30. */
  maxPolls?: number;
  sleep?: (ms: number) => Promise<void>;
}

export async function getQueryResults(
  client: CloudWatchLogsClient,
  queryId: string,
  options: CallOptions = {},
): Promise<LogsQueryResult> {
  const out = await callAws(
    GET_QUERY_RESULTS,
    (abortSignal) => client.send(new GetQueryResultsCommand({ queryId }), { abortSignal }),
    options,
  );
  return {
    status: out.status ?? 'Unknown',
    rows: (out.results ?? []).map((fields) =>
      Object.fromEntries(
        fields
          .filter((f) => f.field !== undefined && f.field !== '@ptr')
          .map((f) => [f.field!, f.value ?? '']),
      ),
    ),
  };
}

export async function waitForQuery(
  get: (queryId: string) => Promise<LogsQueryResult>,
  queryId: string,
  options: QueryWaitOptions = {},
): Promise<LogsQueryResult> {
  const maxPolls = options.maxPolls ?? 30;
  const sleep = options.sleep ?? defaultSleep;
  for (let poll = 1; poll <= maxPolls; poll++) {
    const result = await get(queryId);
    if (result.status !== 'Scheduled' && result.status !== 'Running') return result;
    if (poll < maxPolls) await sleep(options.intervalMs ?? 1_000);
  }
  throw new AwsCallError(
    GET_QUERY_RESULTS,
    'timeout',
    'QueryStillRunning',
    `CloudWatch Logs Insights query ${queryId} was still running after ${maxPolls} checks.`,
  );
}
