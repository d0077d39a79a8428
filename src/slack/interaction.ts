/**
 * A click, as the bot uses it after the ack: the button's value (references to stored state, never
 * authority) and what Slack's signed envelope says about who clicked, from which workspace, in which
 * channel. It is what travels to the deferred task that does the click's store and Slack work, so the ack
 * returns at once (on Lambda, nothing a listener awaits may eat Slack's 3 s).
 */
import { createHash } from 'node:crypto';
import type { App, BlockAction, BlockElementAction } from '@slack/bolt';
import type { ReplyTarget } from '../workflows/deferred-task';
import type { AppDeps } from './deps';
import { notQueuedText } from './not-queued';
import { replyTo } from './reply';

export { isoFromActionTs } from './click-time';

export interface Click {
  actionId: string;
  /** The button's value, or the selected option's value. */
  value: string;
  user: string;
  /** `body.team.id`: the workspace the click came from. */
  team: string | null;
  /** `body.enterprise.id` (Enterprise Grid), else null. */
  enterprise: string | null;
  /** The channel of the message clicked (`container.channel_id`). */
  channel: string | null;
  messageTs: string | null;
  responseUrl: string | null;
  /** Slack's `action_ts`: the click's time, the same on every redelivery. */
  actionTs: string | null;
  /** The click came from the clicker's App Home tab (`container.type` view, `view.type` home). */
  home?: boolean;
}

interface ActionLike {
  action_id: string;
  value?: string;
  action_ts?: string;
  selected_option?: { value?: string } | null;
}

export function clickFrom(body: BlockAction<BlockElementAction>, action: ActionLike): Click {
  const b = body as BlockAction & {
    container?: { type?: string; channel_id?: string; message_ts?: string };
    view?: { type?: string };
  };
  const home = b.container?.type === 'view' && b.view?.type === 'home';
  return {
    actionId: action.action_id,
    value: action.value ?? action.selected_option?.value ?? '',
    user: body.user.id,
    team: body.team?.id ?? null,
    enterprise: body.enterprise?.id ?? null,
    channel: b.container?.channel_id ?? body.channel?.id ?? null,
    messageTs: b.container?.message_ts ?? body.message?.ts ?? null,
    responseUrl: body.response_url ?? null,
    actionTs: action.action_ts ?? null,
    ...(home ? { home: true } : {}),
  };
}

export function replyTargetOf(click: Pick<Click, 'user' | 'channel' | 'responseUrl'>): ReplyTarget {
  return { user: click.user, channel: click.channel, responseUrl: click.responseUrl };
}

/**
 * Idempotency key of a click: the same click redelivered (Slack retry) gives the same key; two clicks
 * never do (their `action_ts` differ).
 */
export function clickKey(click: Pick<Click, 'actionTs' | 'user' | 'actionId' | 'value'>): string {
  return actionKey([click.actionTs ?? '', click.user, click.actionId, click.value]);
}

export function actionKey(parts: readonly (string | undefined)[]): string {
  return createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\u0000'))
    .digest('base64url')
    .slice(0, 22);
}

/** Hand a click to deferred work; if even that fails, tell the clicker. True when queued. */
export async function deferClick(deps: AppDeps, kind: string, click: Click): Promise<boolean> {
  const target = replyTargetOf(click);
  try {
    await deps.defer({ kind, payload: click, replyTo: target, key: `click:${clickKey(click)}` });
    return true;
  } catch (error) {
    deps.logger.warn('click not queued', { kind, error });
    await replyTo(deps, target, {
      text: notQueuedText(error, { thing: 'that click', nothing: 'nothing changed' }),
    });
    return false;
  }
}

/**
 * Register a button whose work is deferred: acknowledge, then queue `kind` with the click. The listener
 * awaits nothing but the ack and the queuing.
 */
export function onDeferredClick(app: App, deps: AppDeps, actionId: string | RegExp, kind: string): void {
  app.action<BlockAction<BlockElementAction>>(actionId, async ({ ack, body, action }) => {
    await ack();
    await deferClick(deps, kind, clickFrom(body, action as ActionLike));
  });
}

/** A deferred click payload, checked: it came sealed from our own listener, but check its shape anyway. */
export function asClick(payload: unknown): Click | null {
  const c = payload as Partial<Click> | null;
  return c && typeof c.actionId === 'string' && typeof c.value === 'string' && typeof c.user === 'string'
    ? (c as Click)
    : null;
}
