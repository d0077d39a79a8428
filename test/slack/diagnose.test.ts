/**
 * `/runbook diagnose` end to end: signed slash commands and button clicks into Bolt's real HTTP receiver,
 * answers read from the fake Slack's response_url posts. Walks every tree of the real TROUBLESHOOTING.md
 * to every leaf, opens each leaf, and comes back to the first question with Back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, DecisionTree } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { treeVersion } from '../../src/workflows/tree-walk';
import { startTestBot, type TestBot } from '../helpers/slack-bot';
import { slackLimitViolations } from '../helpers/slack-limits';
import { type MessageBody, messageButtons, visibleText } from '../helpers/slack-messages';
import { blockActionPayload, TEST_CHANNEL, TEST_USER } from '../helpers/slack-payloads';

interface Btn {
  action_id: string;
  value?: string;
  url?: string;
  text: { text: string };
}
type Body = MessageBody;
const visible = visibleText;

const buttons = messageButtons;

function buttonNamed(body: Body, text: string): Btn {
  const found = buttons(body).find((b) => b.text.text === text || b.text.text.startsWith(text));
  if (!found)
    throw new Error(
      `no "${text}" button in: ${buttons(body)
        .map((b) => b.text.text)
        .join(', ')}`,
    );
  return found;
}

const headerOf = (body: Body) => (body.blocks?.[0]?.text as { text?: string } | undefined)?.text ?? '';

let bot: TestBot;
let artifact: Artifact;
let trees: DecisionTree[];
let requests = 0;

/** Clicks a button on an ephemeral message, signed as Slack signs it; returns what the bot answered. */
async function click(b: Btn): Promise<Body> {
  const responseUrl = bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
  const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
  const res = await bot.action(
    blockActionPayload({ actionId: b.action_id, value: b.value, responseUrl, ephemeral: true }),
  );
  requests++;
  expect(res.status).toBe(200);
  const post = await bot.waitFor(() => bot.fake.responses.find((r) => r.id === id), {
    what: `answer to ${b.action_id}`,
  });
  const body = post.body as Body;
  expect(slackLimitViolations(body)).toEqual([]);
  return body;
}

async function command(text: string): Promise<Body> {
  const res = await bot.command(text);
  requests++;
  expect(res.status).toBe(200);
  return (await res.response()).body as Body;
}

beforeAll(async () => {
  bot = await startTestBot();
  artifact = bot.deps.artifact;
  trees = artifact.trees.filter((t) => t.sectionId.startsWith('TROUBLESHOOTING.md#'));
});

afterAll(async () => {
  await bot?.close();
});

describe('/runbook diagnose', () => {
  it('lists every tree with a Start button', async () => {
    expect(trees.length).toBeGreaterThanOrEqual(4);
    const body = await command('diagnose');
    expect(body.response_type).toBe('ephemeral');
    const starts = buttons(body).filter((b) => b.action_id === ActionIds.treeStart);
    expect(starts.map((b) => b.value)).toEqual(artifact.trees.map((t) => t.id));
    const first = await click(starts[0]!);
    expect(headerOf(first)).toBe(artifact.trees[0]!.title);
  });

  it.each([
    ['generation', /generation/i],
    ['login', /auth|login/i],
    ['deploy', /deploy/i],
    ['slow', /perf|slow/i],
  ])('"diagnose %s" starts the matching tree at its first question', async (words, expected) => {
    const body = await command(`diagnose ${words}`);
    const tree = trees.find((t) => t.title === headerOf(body));
    expect(tree?.title).toMatch(expected);
    expect(visible(body)).toContain(tree!.nodes[tree!.root]!.label);
    expect(buttons(body).map((b) => b.text.text)).toEqual(
      tree!.nodes[tree!.root]!.edges.map((e) => e.label || 'Next'),
    );
  });

  it('picks a tree by the words, not by mentions or broadcasts around them', async () => {
    const plain = await command('diagnose login');
    const marked = await command('diagnose <!subteam^S0ONCALL|@deploy-oncall> <@U0EVIL> login <!here>');
    expect(headerOf(marked)).toBe(headerOf(plain));
    expect(headerOf(marked)).toMatch(/auth|login/i);
  });

  it('answers words that match no tree with the list, echoing them safely', async () => {
    const body = await command('diagnose <!channel> xyzzy');
    expect(visible(body)).toContain('No decision tree matches “&lt;!channel&gt; xyzzy”');
    expect(buttons(body).filter((b) => b.action_id === ActionIds.treeStart)).toHaveLength(
      artifact.trees.length,
    );
  });
});

describe('walking every tree of TROUBLESHOOTING.md through signed requests', () => {
  it('reaches every leaf, shows its section or escalation contacts, and goes Back to the first question', async () => {
    for (const tree of trees) {
      const root = tree.nodes[tree.root]!;
      const start = await click({ action_id: ActionIds.treeStart, value: tree.id, text: { text: 'Start' } });
      const reached = new Set<string>();

      // `at` is where the model says the walk is; every screen must agree with it.
      const walk = async (body: Body, at: string, depth: number): Promise<void> => {
        const node = tree.nodes[at]!;
        const answers = buttons(body).filter((b) => b.action_id.startsWith(`${ActionIds.treeChoose}:`));
        if (node.edges.length > 0) {
          expect(visible(body)).toContain(node.label);
          expect(answers.map((b) => b.text.text)).toEqual(node.edges.map((e) => e.label || 'Next'));
          for (const answer of answers) {
            const index = Number(answer.action_id.split(':')[1]);
            await walk(await click(answer), node.edges[index]!.to, depth + 1);
          }
          return;
        }
        expect(answers).toEqual([]);
        const leaf = node;
        reached.add(leaf.id);
        const target = artifact.sections.find((s) => s.id === leaf.target)!;
        expect(buttons(body).some((b) => b.value === target.id)).toBe(true);
        const opened = await click(buttonNamed(body, 'Open'));
        expect(opened.replace_original).toBe(false);
        expect(headerOf(opened)).toBe(target.title);

        if (leaf.kind === 'escalation') {
          const path = artifact.escalationPaths.find((p) => p.id === leaf.escalation)!;
          expect(visible(body)).toContain(`Escalate: ${path.title}`);
          const contact = artifact.contacts.find((c) => c.level === path.steps[0]!.level)!;
          expect(visible(body)).toContain(contact.role);
          const posted = await click(buttonNamed(body, 'Post escalation in channel'));
          expect(posted.response_type).toBe('in_channel');
          expect(headerOf(posted)).toBe(`Escalation: ${path.title}`);
        } else {
          expect(visible(body)).toContain(target.title);
          if (target.summary)
            expect(visible(body)).toContain(target.summary.slice(0, 40).replace(/&/g, '&amp;'));
          // A symptom section's body sits under its sub-headings: the leaf shows what the user sees.
          const parts = target.children.map((id) => artifact.sections.find((s) => s.id === id)?.title);
          if (parts.includes('What you see')) expect(visible(body)).toContain('*What you see*');
        }

        // Back, step by step, to the first question.
        let back = body;
        for (let k = 0; k < depth; k++) back = await click(buttonNamed(back, 'Back'));
        expect(visible(back)).toContain(root.label);
        expect(buttons(back).map((b) => b.text.text)).not.toContain('Back');
      };

      await walk(start, tree.root, 0);
      const leaves = Object.values(tree.nodes)
        .filter((n) => n.edges.length === 0)
        .map((n) => n.id);
      expect([...reached].sort(), tree.id).toEqual(leaves.sort());
    }
    expect(requests).toBeGreaterThan(trees.length * 4);
  });

  it('Start over from deep in a walk returns to the first question', async () => {
    const tree = trees[0]!;
    let body = await click({ action_id: ActionIds.treeStart, value: tree.id, text: { text: 'Start' } });
    body = await click(buttons(body)[0]!);
    const restarted = await click(buttonNamed(body, 'Start over'));
    expect(visible(restarted)).toContain(tree.nodes[tree.root]!.label);
  });
});

describe('clicks on old messages', () => {
  it('keep working while the tree is unchanged', async () => {
    const tree = trees[0]!;
    const value = `${tree.id}~${treeVersion(tree)}~0`;
    const body = await click({ action_id: `${ActionIds.treeChoose}:0`, value, text: { text: 'Yes' } });
    const next = tree.nodes[tree.nodes[tree.root]!.edges[0]!.to]!;
    expect(visible(body)).toContain(next.kind === 'question' || next.kind === 'action' ? next.label : '');
  });

  it('answer clearly when the tree changed, with a Start over button', async () => {
    const tree = trees[0]!;
    const body = await click({
      action_id: `${ActionIds.treeChoose}:0`,
      value: `${tree.id}~0000000000~0`,
      text: { text: 'Yes' },
    });
    expect(visible(body)).toContain('has changed since this message was posted');
    const restart = buttonNamed(body, 'Start over');
    expect(visible(await click(restart))).toContain(tree.nodes[tree.root]!.label);
  });

  it('answer clearly when the tree is gone, or the value is not a walk', async () => {
    const gone = await click({
      action_id: ActionIds.treeBack,
      value: 'no-such-tree~abc~0',
      text: { text: 'Back' },
    });
    expect(visible(gone)).toContain('`no-such-tree` is no longer in the runbooks');
    const junk = await click({
      action_id: ActionIds.treeRestart,
      value: '<@U123>',
      text: { text: 'Start over' },
    });
    expect(visible(junk)).toContain('does not belong to a decision tree');
    const unknownStart = await click({
      action_id: ActionIds.treeStart,
      value: 'nope',
      text: { text: 'Start' },
    });
    expect(visible(unknownStart)).toContain('`nope` is no longer in the runbooks');
  });
});
