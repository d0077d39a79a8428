/**
 * CloudWatch Logs `StartQuery`: schedule a Logs Insights query on one log group over a time window. Loaded
 * on first use (src/aws/gateway.ts), with its SDK client.
 */
import { type CloudWatchLogsClient, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { type CallOptions, callAws } from './call';
import type { AwsOperation } from './errors';
import type { TimeWindow } from './types';

export const START_QUERY: AwsOperation = {
  service: 'CloudWatch Logs',
  action: 'StartQuery',
  iamAction: 'logs:StartQuery',
};

export interface LogsQuery {
  region: string;
  logGroup: string;
  /** Logs Insights query language. */
  query: string;
  window: TimeWindow;
}

/** The query id. */
export async function startQuery(
  client: CloudWatchLogsClient,
  input: LogsQuery,
  options: CallOptions = {},
): Promise<string> {
  const out = await callAws(
    START_QUERY,
    (abortSignal) =>
      client.send(
        new StartQueryCommand({
          logGroupName: input.logGroup,
          queryString: input.query,
          // Epoch seconds, as the API takes them.
          startTime: Math.floor(input.window.start.getTime() / 1000),
          endTime: Math.ceil(input.window.end.getTime() / 1000),
          limit: 1000,
        }),
        { abortSignal },
      ),
    options,
  );
  return out.queryId ?? '';
}
