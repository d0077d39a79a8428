/**
 * Review (helper-195): the alarm function runs for 30 s at most (serverless.yml `timeout: 30`). It posts an
 * ALARM's message, then records it (`handleAlarmNotification`, src/slack/features/alarms/alarms.ts): when
 * the record fails it is retried in place and never thrown, "since a retried delivery would post it twice".
 * But the store's DynamoDB client has no connection or request timeout (src/store/dynamo.ts
 * `new DynamoDBClient(options.client ?? {})`, unlike every AWS client of src/aws/clients.ts): a call on a
 * stalled connection (a throttled or impaired table, a dropped TCP flow) waits until Lambda kills the
 * invocation, between the post and its record. Lambda's async retry (a minute later, the alarm's lock run
 * out) finds no message recorded and posts the ALARM again: two messages for one episode, the first
 * left red with Start failover for ever (its OK will update the second only).
 *
 * The kill is simulated: the first delivery gets 30 s of real time (the function's timeout) to finish, then
 * the app's clock moves on by Lambda's minute and the retry is delivered. (A store call with a deadline
 * would fail within those 30 s, be retried in place, and record the message: the retry then finds it.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAlarmHandler } from '../../src/entry/alarm';
import { LOCAL_CLIENT } from '../../src/store/dynalite';
import { createDynamoStore } from '../../src/store/dynamo';
import type { Store } from '../../src/store/store';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/slack-bot';
import { ALARM_CHANNEL, type AlarmBot, alarmEvent, startAlarmBot } from './alarm-harness';

const T0 = '2025-03-01T10:00:00.000+0000';
/** serverless.yml: the alarm function's timeout. */
const ALARM_FUNCTION_TIMEOUT_MS = 30_000;

let ab: AlarmBot | undefined;
let proxy: FaultProxy | undefined;
let store: Store | undefined;
afterEach(async () => {
  // Closing the proxy ends the stalled call, so the first delivery finishes before the store goes away.
  await proxy?.close();
  await new Promise((r) => setTimeout(r, 2_000));
  await store?.close();
  await ab?.sb.close();
  ab = undefined;
  proxy = undefined;
  store = undefined;
});

/** A PutItem of the alarm's message record (`CHAN#<channel>` / `LATEST#alarm:<arn>`). */
const isAlarmRecord = (body: Record<string, unknown>) =>
  String((body['Item'] as { sk?: { S?: string } } | undefined)?.sk?.S ?? '').startsWith('LATEST#alarm:');

describe('the alarm function stopped between its post and its record', () => {
  it('posts one message for one ALARM when Lambda delivers it again', async () => {
    ab = await startAlarmBot();
    proxy = await startFaultProxy(ab.sb.store.endpoint);
    store = createDynamoStore({
      tableName: ab.sb.store.tableName,
      client: { ...LOCAL_CLIENT, endpoint: proxy.endpoint },
    });
    const clock = { now: new Date('2025-03-01T10:00:30.000Z') };
    const handler = createAlarmHandler({
      env: {
        SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_API_URL: ab.sb.bot.fake.apiUrl,
        ALARM_CHANNEL,
        ALARM_PREFIX: 'sitecraft-prod-',
      },
      deps: {
        artifact: ab.sb.bot.deps.artifact,
        getStore: async () => store!,
        logger: ab.sb.bot.deps.logger,
        now: () => clock.now,
      },
    });
    const event = alarmEvent('ALARM', T0);

    // The record's PutItem stalls for longer than the function may run.
    proxy.add({
      operation: 'PutItem',
      kind: 'delay',
      delayMs: ALARM_FUNCTION_TIMEOUT_MS + 5_000,
      times: 1,
      match: isAlarmRecord,
    });
    const first = handler(event).catch(() => undefined);
    await ab.sb.waitFor('the ALARM posted', () => ab!.alarmMessages().length === 1);
    // The first delivery has the function's 30 s (real time) to record its message; then Lambda kills it.
    await Promise.race([first, new Promise((r) => setTimeout(r, ALARM_FUNCTION_TIMEOUT_MS))]);

    // Lambda's retry comes about a minute later (the alarm's 60 s lock has run out).
    clock.now = new Date(clock.now.getTime() + ALARM_FUNCTION_TIMEOUT_MS + 60_000);
    await handler(event).catch(() => undefined);

    expect(ab.alarmMessages()).toHaveLength(1);
  }, 90_000);
});
