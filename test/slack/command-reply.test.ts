import type { RespondArguments } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { ackBody, commandResponder } from '../../src/slack/command-reply';

function recorder() {
  const events: string[] = [];
  const ack = async (body?: string | RespondArguments) => {
    events.push(`ack ${body === undefined ? '(empty)' : JSON.stringify(body)}`);
  };
  const respond = async (message: string | RespondArguments) => {
    events.push(`respond ${JSON.stringify(message)}`);
    return undefined as never;
  };
  return { events, ack, respond };
}

describe('commandResponder', () => {
  it('answering in the ack: the first reply is the ack body, later ones go to the response_url', async () => {
    const r = recorder();
    const c = commandResponder(r.ack, r.respond, true);
    expect(c.acked).toBe(false);
    await c.reply({ response_type: 'ephemeral', text: 'first' });
    expect(c.acked).toBe(true);
    await c.reply({ text: 'second' });
    await c.ack();
    expect(r.events).toEqual([
      'ack {"response_type":"ephemeral","text":"first"}',
      'respond {"text":"second"}',
    ]);
  });

  it('acknowledging first: an empty ack once, every reply to the response_url', async () => {
    const r = recorder();
    const c = commandResponder(r.ack, r.respond, false);
    await c.reply({ text: 'one' });
    await c.ack();
    await c.reply({ text: 'two' });
    expect(r.events).toEqual(['ack (empty)', 'respond {"text":"one"}', 'respond {"text":"two"}']);
  });

  it('a command that never replies is acknowledged empty, exactly once', async () => {
    const r = recorder();
    const c = commandResponder(r.ack, r.respond, true);
    await c.ack();
    await c.ack();
    expect(r.events).toEqual(['ack (empty)']);
  });
});

describe('ackBody', () => {
  it('keeps the message and drops what only a response_url understands', () => {
    expect(
      ackBody({
        response_type: 'in_channel',
        text: 't',
        blocks: [],
        replace_original: true,
        delete_original: false,
      } as RespondArguments),
    ).toEqual({ response_type: 'in_channel', text: 't', blocks: [] });
    expect(ackBody('plain')).toEqual({ text: 'plain' });
  });
});
