/**
 * What the page can do, as Slack would do it: each call becomes a request signed as Slack signs them and
 * sent over HTTP to the Bolt app; the app's acknowledgement is interpreted the way Slack interprets it.
 */

import type { ResponseUrlContext } from '../local/slack-web-api';
import type { BoltAnswer, SlackSender } from './bolt-client';
import {
  type ActionInput,
  appHomeOpenedBody,
  interactionBody,
  messageActionPayload,
  newTriggerId,
  type StateValues,
  slashCommandBody,
  type ViewObject,
  viewActionPayload,
  viewClosedPayload,
  viewSubmissionPayload,
} from './payloads';
import type { PlaygroundMessage, Timeline } from './timeline';
import { type DemoChannel, type DemoUser, findChannel, findUser, PLAYGROUND_BOT } from './users';

/** Slack shows `operation_timeout` when an acknowledgement takes longer than this. */
export const ACK_DEADLINE_MS = 3000;

export class PlaygroundRequestError extends Error {
  override readonly name = 'PlaygroundRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface PlaygroundCore {
  timeline: Timeline;
  sender: SlackSender;
  mintResponseUrl(context: ResponseUrlContext): string;
  /** Tell the fake Slack about a view the app opened through a view_submission ack (push/update). */
  rememberView(user: string, view: ViewObject): void;
  /** trigger_id → the user it was issued to, for views.open. */
  triggers: Map<string, string>;
  slashCommand: string;
  botUserId: string;
  /** The DM channel between the bot and a person, as the fake Slack's conversations.open names it. */
  dmChannelOf(user: string): string;
  /** The bot's clock (the page can move it forward): clicks are dated on it, as Slack dates them. */
  now(): Date;
}

export interface ApiResult {
  ok: boolean;
  error?: string;
  errors?: Record<string, string>;
}

export function createApi(core: PlaygroundCore) {
  const { timeline } = core;

  const issueTrigger = (user: DemoUser): string => {
    const triggerId = newTriggerId();
    core.triggers.set(triggerId, user.id);
    return triggerId;
  };

  /** Send, time the ack, and report what Slack would show when it goes wrong. */
  const deliver = async (body: string, user: DemoUser, what: string): Promise<BoltAnswer> => {
    const started = Date.now();
    const answer = await core.sender.send(body);
    const elapsed = Date.now() - started;
    if (answer.status !== 200) {
      timeline.notice(
        `${what}: the app answered HTTP ${answer.status}${answer.body ? ` (${answer.body.slice(0, 200)})` : ''}`,
        user.id,
      );
    } else if (elapsed > ACK_DEADLINE_MS) {
      timeline.notice(
        `${what}: operation_timeout — the app took ${elapsed} ms to acknowledge (Slack allows 3 s)`,
        user.id,
      );
    }
    return answer;
  };

  return {
    async command(input: { user: string; channel: string; text: string }): Promise<ApiResult> {
      const user = requireUser(input.user);
      const channel = requireChannel(input.channel);
      const match = /^(\/\S+)\s*([\s\S]*)$/.exec(requireText(input.text).trim());
      if (!match) throw new PlaygroundRequestError(400, 'A slash command starts with /');
      const [, command = '', text = ''] = match;
      if (command !== core.slashCommand) {
        throw new PlaygroundRequestError(
          400,
          `${command} is not a valid command here. Try ${core.slashCommand} help.`,
        );
      }
      timeline.add({
        channel: channel.id,
        user: user.id,
        bot: false,
        text: `${command} ${text}`.trim(),
        kind: 'command',
      });
      const responseUrl = core.mintResponseUrl({ user: user.id, channel: channel.id });
      const body = slashCommandBody({
        command,
        text,
        user,
        channel,
        responseUrl,
        triggerId: issueTrigger(user),
      });
      const answer = await deliver(body, user, command);
      if (answer.status === 200) showCommandAck(answer, user, channel);
      return { ok: answer.status === 200 };
    },

    /** A plain message from a user; the bot does not read channel messages, but people do. */
    message(input: { user: string; channel: string; text: string }): ApiResult {
      const user = requireUser(input.user);
      const channel = requireChannel(input.channel);
      timeline.add({
        channel: channel.id,
        user: user.id,
        bot: false,
        text: escapeForSlack(requireText(input.text)),
        kind: 'message',
      });
      return { ok: true };
    },

    async action(input: {
      user: string;
      message_ts?: string;
      view_id?: string;
      /** A button on the person's own App Home tab. */
      home?: boolean;
      action: ActionInput;
      state?: StateValues;
    }): Promise<ApiResult> {
      const user = requireUser(input.user);
      if (typeof input.action?.action_id !== 'string')
        throw new PlaygroundRequestError(400, 'action must be a button or menu with an action_id');
      const state = input.state ?? { values: {} };
      let payload: Record<string, unknown>;
      if (input.home) {
        const view = timeline.home(user.id);
        if (!view) throw new PlaygroundRequestError(404, 'Open the Home tab first');
        payload = viewActionPayload({
          user,
          view: { ...view, type: 'home' },
          action: input.action,
          state,
          triggerId: issueTrigger(user),
          at: core.now(),
        });
      } else if (input.view_id) {
        const view = requireView(input.view_id, user);
        payload = viewActionPayload({
          user,
          view,
          action: input.action,
          state,
          triggerId: issueTrigger(user),
          at: core.now(),
        });
      } else {
        const message = timeline.get(input.message_ts ?? '');
        if (!message) throw new PlaygroundRequestError(404, 'That message is gone');
        const channel = findChannel(message.channel) ?? {
          id: message.channel,
          name: message.channel,
          topic: '',
        };
        payload = messageActionPayload({
          user,
          channel,
          message: message.ephemeral_to ? null : storedMessage(message, core.botUserId),
          messageTs: message.ts,
          action: input.action,
          state,
          responseUrl: core.mintResponseUrl({ user: user.id, channel: channel.id, messageTs: message.ts }),
          triggerId: issueTrigger(user),
          at: core.now(),
        });
      }
      const answer = await deliver(interactionBody(payload), user, `Button "${actionLabel(input.action)}"`);
      return { ok: answer.status === 200 };
    },

    /** The person opens the app's Home tab: Slack sends `app_home_opened` (Events API, JSON, signed). */
    async homeOpened(input: { user: string }): Promise<ApiResult> {
      const user = requireUser(input.user);
      const body = appHomeOpenedBody({ user, channel: core.dmChannelOf(user.id) });
      const started = Date.now();
      const answer = await core.sender.sendJson(body);
      if (answer.status !== 200)
        timeline.notice(`app_home_opened: the app answered HTTP ${answer.status}`, user.id);
      else if (Date.now() - started > ACK_DEADLINE_MS)
        timeline.notice(
          'app_home_opened: the app took more than 3 s to answer; Slack would retry it',
          user.id,
        );
      return { ok: answer.status === 200 };
    },

    async viewSubmit(input: { user: string; view_id: string; state: StateValues }): Promise<ApiResult> {
      const user = requireUser(input.user);
      const view = requireView(input.view_id, user);
      const payload = viewSubmissionPayload({
        user,
        view,
        state: input.state ?? { values: {} },
        triggerId: issueTrigger(user),
      });
      const answer = await deliver(interactionBody(payload), user, 'Submit');
      if (answer.status !== 200) return { ok: false };
      const ack = answer.json ?? {};
      switch (ack.response_action) {
        case 'errors':
          return { ok: true, errors: (ack.errors as Record<string, string>) ?? {} };
        case 'update': {
          const updated = timeline.updateView({ viewId: view.id }, ack.view as ViewObject);
          if (updated) core.rememberView(user.id, updated);
          return { ok: true };
        }
        case 'push':
          core.rememberView(user.id, timeline.pushView(user.id, ack.view as ViewObject));
          return { ok: true };
        case 'clear':
          timeline.clearViews(user.id);
          return { ok: true };
        default:
          timeline.closeView(user.id, view.id);
          return { ok: true };
      }
    },

    async viewClose(input: { user: string; view_id: string }): Promise<ApiResult> {
      const user = requireUser(input.user);
      const view = requireView(input.view_id, user);
      timeline.closeView(user.id, view.id);
      if (!view.notify_on_close) return { ok: true };
      const answer = await deliver(interactionBody(viewClosedPayload({ user, view })), user, 'Close');
      return { ok: answer.status === 200 };
    },
  };

  function showCommandAck(answer: BoltAnswer, user: DemoUser, channel: DemoChannel): void {
    const ack = answer.json;
    const text = ack ? (typeof ack.text === 'string' ? ack.text : '') : answer.body.trim();
    const blocks = ack && Array.isArray(ack.blocks) ? (ack.blocks as unknown[]) : undefined;
    if (!text && !blocks) return;
    timeline.add({
      channel: channel.id,
      user: core.botUserId,
      bot: true,
      text,
      kind: 'message',
      ...(blocks ? { blocks } : {}),
      ...(ack?.response_type === 'in_channel' ? {} : { ephemeral_to: user.id }),
    });
  }

  function requireView(viewId: string, user: DemoUser): ViewObject {
    const found = timeline.findView({ viewId });
    if (!found || found.user !== user.id) throw new PlaygroundRequestError(404, 'That modal is closed');
    return found.view;
  }
}

export type PlaygroundApi = ReturnType<typeof createApi>;

/** The page's JSON is untrusted: a missing or non-string field is a 400 that says so, not a crash (500). */
function requireText(text: unknown): string {
  if (typeof text !== 'string') throw new PlaygroundRequestError(400, 'text must be a string');
  return text;
}

function requireUser(id: string): DemoUser {
  const user = findUser(id);
  if (!user) throw new PlaygroundRequestError(400, `Unknown user ${id}`);
  return user;
}

function requireChannel(id: string): DemoChannel {
  const channel = findChannel(id);
  if (!channel) throw new PlaygroundRequestError(400, `Unknown channel ${id}`);
  return channel;
}

function storedMessage(message: PlaygroundMessage, botUserId: string) {
  return {
    ts: message.ts,
    ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    user: message.bot ? botUserId : message.user,
    ...(message.bot ? { bot_id: PLAYGROUND_BOT.botId } : {}),
  };
}

function actionLabel(action: ActionInput): string {
  const text = action.text as { text?: string } | undefined;
  return text?.text ?? action.action_id;
}

/** Slack stores what people type with its three control characters escaped. */
function escapeForSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
