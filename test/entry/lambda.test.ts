/**
 * The Lambda entry with API Gateway HTTP API (payload v2) events: plain and base64 bodies (non-ASCII
 * included), refusals, and no auth.test on a cold start.
 */
import { AwsLambdaReceiver } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createLambdaHandler, decodeBody, type LambdaHandler } from '../../src/entry/lambda';
import { FakeSlack } from '../../src/local/slack-web-api';
import type { Feature } from '../../src/slack/feature';
import { contactsFeature } from '../../src/slack/features/contacts/contacts';
import { searchFeature } from '../../src/slack/features/search';
import { createMemoryLogger } from '../../src/slack/logger';
import type { DeferredTask } from '../../src/workflows/deferred-task';
import { loadTestArtifact } from '../helpers/artifact';
import { apiGatewayV2Event } from '../helpers/lambda-events';
import { formBody, nowSeconds, signSlackRequest } from '../helpers/signed';
import { blockActionPayload, slashCommandFields } from '../helpers/slack-payloads';

const SECRET = 'lambda-signing-secret-0123456789';
const mentions: string[] = [];
const mentionRecorder: Feature = {
  id: 'mention-recorder',
  register: (app) => {
    app.event('app_mention', async ({ event }) => {
      mentions.push(event.text.replace(/^<@U0FAKEBOT> /, ''));
    });
  },
};

/** An Events API callback (JSON, raw UTF-8) as Slack sends it. */
function eventCallback(text: string) {
  return {
    token: 'legacy-verification-token',
    team_id: 'T0TEST',
    api_app_id: 'A0RUNBOOK',
    type: 'event_callback',
    event_id: `Ev${Date.now()}`,
    event_time: nowSeconds(),
    event: {
      type: 'app_mention',
      user: 'U0ALICE',
      text: `<@U0FAKEBOT> ${text}`,
      ts: '1700000000.000200',
      channel: 'C0INCIDENT',
      event_ts: '1700000000.000200',
    },
    authorizations: [{ team_id: 'T0TEST', user_id: 'U0FAKEBOT', is_bot: true, is_enterprise_install: false }],
  };
}
let fake: FakeSlack;
let handler: LambdaHandler;
const logger = createMemoryLogger();
const deferred: DeferredTask[] = [];

beforeAll(async () => {
  fake = await new FakeSlack().start();
  handler = createLambdaHandler({
    env: {
      AWS_LAMBDA_FUNCTION_NAME: 'runbook-bot',
      SLACK_BOT_TOKEN: 'xoxb-lambda-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
    },
    deps: { artifact: await loadTestArtifact(), logger, defer: async (task) => void deferred.push(task) },
    features: [searchFeature, contactsFeature, mentionRecorder],
  });
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => {
  fake.reset();
});

function commandEvent(text: string, opts: { base64?: boolean; timestamp?: number; secret?: string } = {}) {
  const responseUrl = fake.responseUrl({ channel: 'C0INCIDENT', user: 'U0ALICE' });
  const body = formBody(slashCommandFields({ text, responseUrl }));
  const event = apiGatewayV2Event(body, signSlackRequest(body, opts.secret ?? SECRET, opts.timestamp), opts);
  return { event, responseUrl };
}

describe('slash commands through API Gateway v2', () => {
  test('a plain body is answered; the listener finishes before Lambda returns', async () => {
    const { event } = commandEvent('smoke tests');
    const callsBefore = fake.calls.length;
    const responsesBefore = fake.responses.length;
    const res = await handler(event, {});
    expect(res.statusCode).toBe(200);
    // Answered in the ack body: no post to the response_url, no Web API call (no auth.test either).
    expect(res.headers).toMatchObject({ 'Content-Type': 'application/json' });
    expect(JSON.parse(res.body ?? '{}')).toMatchObject({ response_type: 'ephemeral' });
    expect(res.body).toContain('Smoke tests');
    expect(fake.responses).toHaveLength(responsesBefore);
    expect(fake.calls).toHaveLength(callsBefore);
  });

  test('a base64 body with non-ASCII text is decoded as UTF-8, verified and answered intact', async () => {
    const text = 'vérification après rollback 🚑 — ça marche?';
    const { event } = commandEvent(text, { base64: true });
    const responsesBefore = fake.responses.length;
    const res = await handler(event, {});
    expect(res.statusCode).toBe(200);
    expect(fake.responses).toHaveLength(responsesBefore);
    expect(res.body).toMatch(/vérification après rollback 🚑 — ça marche\?|Rollback|Verification/);
  });

  test('a base64 JSON event with raw UTF-8 reaches listeners byte for byte', async () => {
    const text = 'Ünïcödé 🚑 — ça marche, 東京';
    const body = JSON.stringify(eventCallback(text));
    const res = await handler(
      apiGatewayV2Event(body, signSlackRequest(body, SECRET), { base64: true, json: true }),
      {},
    );
    expect(res.statusCode).toBe(200);
    expect(mentions).toContain(text);
  });

  test("regression: Bolt's receiver alone decodes base64 as ascii and cannot even parse the same event", async () => {
    const body = JSON.stringify(eventCallback('déjà vu 🚀'));
    const event = apiGatewayV2Event(body, signSlackRequest(body, SECRET), { base64: true, json: true });
    const bare = new AwsLambdaReceiver({ signingSecret: SECRET, logger: { ...silent } });
    // The ascii decoding turns UTF-8 bytes into control characters: JSON.parse throws (a Lambda error).
    await expect(bare.toHandler()(event, {})).rejects.toThrow(/control character|JSON/);
    expect(decodeBody(event)).toMatchObject({ body, isBase64Encoded: false });
  });

  test('an interaction payload (block_actions) is acknowledged', async () => {
    const responseUrl = fake.responseUrl({ channel: 'C0INCIDENT', user: 'U0ALICE' });
    const body = formBody({
      payload: JSON.stringify(
        blockActionPayload({
          actionId: 'runbook.share',
          value: 'DEPLOYMENT.md#rollback',
          responseUrl,
          ephemeral: true,
        }),
      ),
    });
    const res = await handler(apiGatewayV2Event(body, signSlackRequest(body, SECRET), { base64: true }), {});
    expect(res.statusCode).toBe(200);
    // Share: the post to the channel is deferred work (src/slack/post-once.ts), queued before the answer.
    expect(deferred.at(-1)).toMatchObject({ kind: 'post-once', payload: { what: 'share', responseUrl } });
  });
});

describe('refusals: 401 and no Slack call', () => {
  test.each([
    ['future timestamp', { timestamp: nowSeconds() + 400 }],
    ['stale timestamp', { timestamp: nowSeconds() - 400 }],
    ['wrong secret', { secret: 'wrong-secret-wrong-secret' }],
    ['future timestamp, base64 body', { timestamp: nowSeconds() + 400, base64: true }],
  ])('%s', async (_name, opts) => {
    const { event } = commandEvent('rollback', opts);
    const res = await handler(event, {});
    expect(res.statusCode).toBe(401);
    expect(res.body).toBe('');
    expect(fake.calls).toEqual([]);
    expect(fake.responses).toEqual([]);
  });

  test('unsigned and tampered', async () => {
    const { event } = commandEvent('rollback');
    const unsigned = { ...event, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    expect((await handler(unsigned, {})).statusCode).toBe(401);
    const tampered = { ...event, body: event.body.replace('text=rollback', 'text=rm+-rf') };
    expect((await handler(tampered, {})).statusCode).toBe(401);
    expect(fake.responses).toEqual([]);
  });
});

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => 'error' as never,
  setName: () => undefined,
};
