/**
 * Request bodies shaped exactly as Slack sends them: slash commands as a form, interactions as a form with
 * one `payload` field of JSON. Pure functions; signing and sending live in bolt-client.ts.
 */
import { randomBytes } from 'node:crypto';
import type { DemoChannel, DemoUser } from './users';
import { PLAYGROUND_APP_ID, PLAYGROUND_TEAM } from './users';

/** Slack's deprecated verification token; Bolt ignores it but real payloads carry one. */
const VERIFICATION_TOKEN = 'playgroundVerificationToken';

let triggerCounter = 0;

/** A fresh `trigger_id` in Slack's `<n>.<n>.<hex>` form. */
export function newTriggerId(): string {
  triggerCounter += 1;
  return `${Date.now()}${triggerCounter}.1000000000.${randomBytes(16).toString('hex')}`;
}

export interface SlashCommandInput {
  command: string;
  text: string;
  user: DemoUser;
  channel: DemoChannel;
  responseUrl: string;
  triggerId: string;
}

export function slashCommandBody(input: SlashCommandInput): string {
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: PLAYGROUND_TEAM.id,
    team_domain: PLAYGROUND_TEAM.domain,
    channel_id: input.channel.id,
    channel_name: input.channel.name,
    user_id: input.user.id,
    user_name: input.user.handle,
    command: input.command,
    text: input.text,
    api_app_id: PLAYGROUND_APP_ID,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  }).toString();
}

/** The `message` of a block_actions payload: what Slack has stored for the bot's message. */
export interface StoredMessage {
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  user: string;
  bot_id?: string;
}

/** A Block Kit element's action as a block_actions payload carries it. */
export interface ActionInput {
  type: string;
  action_id: string;
  block_id: string;
  value?: string;
  text?: unknown;
  style?: string;
  selected_option?: unknown;
  selected_user?: string;
}

export interface StateValues {
  values: Record<string, Record<string, unknown>>;
}

export interface ViewObject {
  id: string;
  type?: string;
  callback_id?: string;
  private_metadata?: string;
  external_id?: string;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks?: unknown[];
  hash?: string;
  notify_on_close?: boolean;
  root_view_id?: string;
  previous_view_id?: string | null;
  [key: string]: unknown;
}

function userObject(user: DemoUser) {
  return { id: user.id, username: user.handle, name: user.handle, team_id: PLAYGROUND_TEAM.id };
}

function common(user: DemoUser) {
  return {
    team: { id: PLAYGROUND_TEAM.id, domain: PLAYGROUND_TEAM.domain },
    user: userObject(user),
    api_app_id: PLAYGROUND_APP_ID,
    token: VERIFICATION_TOKEN,
    is_enterprise_install: false,
    enterprise: null,
  };
}

/**
 * `action_ts` on the bot's clock (`at`), as Slack dates a click on the clock the bot runs by: the bot dates
 * a step's Done by it, so a wall-clock stamp after the page moved the clock would predate the run.
 */
function actionWithTimestamp(action: ActionInput, at: Date) {
  return { ...action, action_ts: (at.getTime() / 1000).toFixed(6) };
}

export interface MessageActionInput {
  user: DemoUser;
  channel: DemoChannel;
  /** Absent for an ephemeral message: Slack does not send those back. */
  message: StoredMessage | null;
  messageTs: string;
  action: ActionInput;
  state: StateValues;
  responseUrl: string;
  triggerId: string;
  /** When the click happens, on the bot's clock. */
  at: Date;
}

export function messageActionPayload(input: MessageActionInput): Record<string, unknown> {
  return {
    type: 'block_actions',
    ...common(input.user),
    container: {
      type: 'message',
      message_ts: input.messageTs,
      channel_id: input.channel.id,
      is_ephemeral: input.message === null,
    },
    trigger_id: input.triggerId,
    channel: { id: input.channel.id, name: input.channel.name },
    ...(input.message ? { message: { type: 'message', ...input.message } } : {}),
    state: input.state,
    response_url: input.responseUrl,
    actions: [actionWithTimestamp(input.action, input.at)],
  };
}

export interface ViewActionInput {
  user: DemoUser;
  view: ViewObject;
  action: ActionInput;
  state: StateValues;
  triggerId: string;
  /** When the click happens, on the bot's clock. */
  at: Date;
}

function viewWithState(view: ViewObject, state: StateValues) {
  return { team_id: PLAYGROUND_TEAM.id, app_id: PLAYGROUND_APP_ID, ...view, state };
}

export function viewActionPayload(input: ViewActionInput): Record<string, unknown> {
  return {
    type: 'block_actions',
    ...common(input.user),
    container: { type: 'view', view_id: input.view.id },
    trigger_id: input.triggerId,
    view: viewWithState(input.view, input.state),
    actions: [actionWithTimestamp(input.action, input.at)],
  };
}

export function viewSubmissionPayload(input: {
  user: DemoUser;
  view: ViewObject;
  state: StateValues;
  triggerId: string;
}): Record<string, unknown> {
  return {
    type: 'view_submission',
    ...common(input.user),
    trigger_id: input.triggerId,
    view: viewWithState(input.view, input.state),
    response_urls: [],
  };
}

export function viewClosedPayload(input: { user: DemoUser; view: ViewObject }): Record<string, unknown> {
  return {
    type: 'view_closed',
    ...common(input.user),
    view: viewWithState(input.view, { values: {} }),
    is_cleared: false,
  };
}

/** Interactions travel as `payload=<url-encoded JSON>`. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

let eventCounter = 0;

/** An Events API delivery of `app_home_opened` (JSON, not a form): what Slack sends when a person opens the Home tab. */
export function appHomeOpenedBody(input: { user: DemoUser; channel: string }): string {
  eventCounter += 1;
  const now = Date.now() / 1000;
  return JSON.stringify({
    token: VERIFICATION_TOKEN,
    team_id: PLAYGROUND_TEAM.id,
    api_app_id: PLAYGROUND_APP_ID,
    type: 'event_callback',
    event_id: `Ev${eventCounter}${randomBytes(4).toString('hex').toUpperCase()}`,
    event_time: Math.floor(now),
    event: {
      type: 'app_home_opened',
      user: input.user.id,
      channel: input.channel,
      tab: 'home',
      event_ts: now.toFixed(6),
    },
  });
}
