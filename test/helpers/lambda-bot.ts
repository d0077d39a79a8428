/**
 * The app as Lambda runs it: `createLambdaHandler` (src/entry/lambda.ts) fed API Gateway v2 events signed
 * as Slack signs them, deferring through a real `Invoke` call to a loopback Lambda (./fake-lambda.ts),
 * whose queued events the test delivers back to the same handler with `pump()` (a thrown task is delivered
 * again, up to the configured attempts, as Lambda's async retries would). For tests of the deferred path and
 * for the benchmark of the ack with a slow store.
 */
import type { AwsGateway } from '../../src/aws/gateway';
import { createLambdaDefer } from '../../src/aws/lambda-defer';
import { createLambdaHandler, type LambdaHandler } from '../../src/entry/lambda';
import { FakeSlack } from '../../src/local/slack-web-api';
import type { Artifact } from '../../src/runbooks/model/model';
import { sealTask } from '../../src/slack/deferred-runner';
import { createMemoryLogger } from '../../src/slack/logger';
import type { Store } from '../../src/store/store';
import { type FakeLambda, startFakeLambda } from './fake-lambda';
import { apiGatewayV2Event } from './lambda-events';
import { formBody, signSlackRequest } from './signed';
import { slashCommandFields } from './slack-payloads';

export const LAMBDA_SECRET = 'lambda-bot-signing-secret-0123456789';
const FUNCTION = 'runbook-bot-test-slack';

export interface LambdaBot {
  handler: LambdaHandler;
  fake: FakeSlack;
  lambda: FakeLambda;
  logs: ReturnType<typeof createMemoryLogger>['entries'];
  /** `/runbook <text>`: the HTTP answer (what Slack waits 3 s for). */
  command(
    text: string,
    opts: { user: string; channel: string; triggerId?: string },
  ): Promise<{ statusCode: number }>;
  /** Any interaction payload (`payload=<json>`), signed. */
  interaction(payload: Record<string, unknown>): Promise<{ statusCode: number; body?: string }>;
  /** Delivers every queued deferred invocation (and what they queue), retrying thrown ones. */
  pump(): Promise<{ delivered: number; failed: unknown[] }>;
  /** Hand the handler one event directly, as anyone allowed to invoke the function could. */
  invoke(event: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function startLambdaBot(opts: {
  artifact: Artifact;
  approversFile: string;
  getStore: () => Promise<Store>;
  gateway?: AwsGateway;
  now?: () => Date;
  env?: Record<string, string>;
  /** The loopback Lambda's Invoke answers this much later (it queues the event at once). */
  lambdaAnswerDelayMs?: () => number;
}): Promise<LambdaBot> {
  const fake = await new FakeSlack().start();
  const lambda = await startFakeLambda(
    opts.lambdaAnswerDelayMs ? { answerDelayMs: opts.lambdaAnswerDelayMs } : {},
  );
  const logger = createMemoryLogger();
  const now = opts.now ?? (() => new Date());
  const maxAttempts = Number(opts.env?.['DEFERRED_MAX_ATTEMPTS'] ?? 3);
  const handler = createLambdaHandler({
    env: {
      AWS_LAMBDA_FUNCTION_NAME: FUNCTION,
      AWS_REGION: 'eu-west-1',
      SLACK_BOT_TOKEN: 'xoxb-lambda-bot-test',
      SLACK_SIGNING_SECRET: LAMBDA_SECRET,
      SLACK_BOT_USER_ID: 'U0FAKEBOT',
      SLACK_BOT_ID: 'B0FAKEBOT',
      SLACK_API_URL: fake.apiUrl,
      APPROVERS_FILE: opts.approversFile,
      LOG_LEVEL: 'debug',
      ...opts.env,
    },
    deps: {
      artifact: opts.artifact,
      logger,
      now,
      getStore: opts.getStore,
      ...(opts.gateway ? { getAws: async () => opts.gateway as AwsGateway } : {}),
      // What createDeps builds on Lambda, pointed at the loopback Lambda.
      defer: createLambdaDefer({
        functionName: FUNCTION,
        region: 'eu-west-1',
        seal: (task, at) => sealTask({ slack: { signingSecret: LAMBDA_SECRET } }, task, at),
        now,
        clientSettings: {
          connectionTimeoutMs: 500,
          requestTimeoutMs: 2_000,
          maxAttempts: 1,
          // Fixed credentials: no credential chain is consulted.
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
          endpoints: { lambda: lambda.endpoint },
        },
      }),
    },
  });
  const signed = (body: string) =>
    apiGatewayV2Event(body, signSlackRequest(body, LAMBDA_SECRET, Math.floor(now().getTime() / 1000)));

  return {
    handler,
    fake,
    lambda,
    logs: logger.entries,
    async command(text, { user, channel, triggerId }) {
      const responseUrl = fake.responseUrl({ channel, user });
      const body = formBody(
        slashCommandFields({ text, user, channel, responseUrl, ...(triggerId ? { triggerId } : {}) }),
      );
      const answer = await handler(signed(body) as never, {});
      // An answer in the ack's body is shown by Slack as the command's first response.
      if (answer.statusCode === 200) fake.commandAck(responseUrl, answer.body ?? '');
      return answer;
    },
    interaction(payload) {
      return handler(signed(formBody({ payload: JSON.stringify(payload) })) as never, {});
    },
    async pump() {
      let delivered = 0;
      const failed: unknown[] = [];
      while (lambda.queued.length > 0) {
        const event = lambda.queued.shift();
        for (let attempt = 1; attempt <= maxAttempts; attempt++) {
          delivered++;
          try {
            await handler(event as never, {});
            break;
          } catch (error) {
            if (attempt === maxAttempts) failed.push(error);
          }
        }
      }
      return { delivered, failed };
    },
    invoke: (event) => handler(event as never, {}),
    async close() {
      await fake.close();
      await lambda.close();
    },
  };
}
