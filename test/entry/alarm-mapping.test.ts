/**
 * Alarm → section mapping, declared in the runbooks (issue 18 item 4b), through the real SNS entry
 * (src/entry/alarm.ts): every CloudWatch alarm infra/dr.yaml defines reaches Slack with the section whose
 * `alarms=` names it (and "Start failover" only where that section is a dr-trigger checklist); an alarm no
 * section declares gets its own text, escaped, and "no runbook section for this alarm yet", never a guess.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlarmHandler } from '../../src/entry/alarm';
import { type FakeSlack, startFakeSlack } from '../../src/local/slack-web-api';
import { alarmNamesOf } from '../../src/runbooks/compile/compile';
import { templateAlarms } from '../../src/runbooks/lint/alarms';
import type { Artifact } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { alarmSnsEvent as sns } from '../helpers/alarm-event';
import { loadTestArtifact, REPO_ROOT } from '../helpers/artifact';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/slack-bot';
import { visibleText } from '../helpers/slack-messages';

const PREFIX = 'sitecraft-prod-';
const CHANNEL = 'C0ALARMS';

let fake: FakeSlack;
let store: TestStore;
let artifact: Artifact;
let handler: ReturnType<typeof createAlarmHandler>;
let alarms: { name: string }[];

beforeAll(async () => {
  fake = await startFakeSlack();
  store = await startTestStore();
  artifact = await loadTestArtifact();
  alarms = templateAlarms(await readFile(join(REPO_ROOT, 'infra', 'dr.yaml'), 'utf8'));
  handler = createAlarmHandler({
    env: {
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ALARM_CHANNEL: CHANNEL,
      ALARM_PREFIX: PREFIX,
    },
    deps: { artifact, getStore: async () => store.store },
  });
});
afterAll(async () => {
  await fake.close();
  await store.store.close();
});

/** The section whose `alarms=` directive lists `name`, read from the sections themselves. */
function declaredSection(name: string) {
  return artifact.sections.filter((s) => alarmNamesOf(s.directives).includes(name));
}

const posted = (name: string) =>
  fake.messages.find((m) => m.channel === CHANNEL && !m.thread_ts && (m.text ?? '').includes(name));

describe('every alarm of infra/dr.yaml through the SNS handler', () => {
  it('the template defines the alarms the runbooks answer', () => {
    expect(alarms.map((a) => a.name).sort()).toEqual([
      'api-5xx',
      'api-latency-p99',
      'bedrock-throttles',
      'r53-primary-unhealthy',
      'r53-secondary-unhealthy',
      'r53-switch-off',
    ]);
  });

  it.each([
    'api-5xx',
    'api-latency-p99',
    'bedrock-throttles',
    'r53-primary-unhealthy',
    'r53-secondary-unhealthy',
    'r53-switch-off',
  ])('%s resolves to the section that declares it', async (name) => {
    const [section, ...more] = declaredSection(name);
    expect(section, `no section declares ${name}`).toBeDefined();
    expect(more).toEqual([]);
    await handler(sns(`${PREFIX}${name}`, `Alarm ${name}`));
    const message = posted(`${PREFIX}${name}`);
    expect(message).toBeDefined();
    const blocks = JSON.stringify(message!.blocks);
    expect(blocks).toContain(`"action_id":"${ActionIds.awsAlarmOpenRunbook}","value":"${section!.id}"`);
    expect(visibleText(message!)).toContain(`#${section!.anchor}|`);
    const startable = artifact.checklists.find((c) => c.sectionId === section!.id);
    const drTrigger = section!.directives['dr-trigger'] !== undefined && startable !== undefined;
    expect(blocks.includes(ActionIds.awsAlarmStartFailover), `Start failover for ${name}`).toBe(drTrigger);
  });

  it('a DR trigger offers to start the failover checklist, and only it', () => {
    for (const name of ['api-5xx', 'r53-primary-unhealthy']) {
      const blocks = JSON.stringify(posted(`${PREFIX}${name}`)!.blocks);
      expect(blocks).toContain(`"action_id":"${ActionIds.awsAlarmStartFailover}","value":"failover"`);
    }
    for (const name of ['api-latency-p99', 'bedrock-throttles', 'r53-secondary-unhealthy', 'r53-switch-off'])
      expect(JSON.stringify(posted(`${PREFIX}${name}`)!.blocks)).not.toContain(
        ActionIds.awsAlarmStartFailover,
      );
  });

  it('an alarm no section declares gets its own text, escaped, and no section', async () => {
    const name = `${PREFIX}api-timeout-504-cold-start`;
    await handler(
      sns(name, 'API <!channel> *timeouts* & cold starts', 'Reason <@U0ALL> <https://evil.example|x>'),
    );
    const message = posted(name)!;
    const text = visibleText(message);
    expect(text).toContain('No runbook section for this alarm yet.');
    expect(text).toContain('API &lt;!channel&gt; *timeouts* &amp; cold starts');
    expect(text).toContain('Reason &lt;@U0ALL&gt; &lt;https://evil.example|x&gt;');
    expect(JSON.stringify(message.blocks)).not.toContain(ActionIds.awsAlarmOpenRunbook);
    expect(JSON.stringify(message.blocks)).not.toContain(ActionIds.awsAlarmStartFailover);
  });
});
