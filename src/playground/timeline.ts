/**
 * What the playground's pretend Slack shows: channel messages (with threads, edits and ephemeral
 * messages) and each user's stack of open modals. Every change is published to subscribers (the SSE
 * stream); `snapshot()` gives a newly connected page everything at once.
 */
import { randomBytes } from 'node:crypto';
import type { ViewObject } from './payloads';

export interface PlaygroundMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  /** Author: a demo user, or the bot's user ID when `bot` is true. */
  user: string;
  bot: boolean;
  text: string;
  blocks?: unknown[];
  /** Set for ephemeral messages: the only user who sees it. */
  ephemeral_to?: string;
  /** `command` is the line showing who ran which slash command. */
  kind: 'message' | 'command';
  edited?: boolean;
  reply_broadcast?: boolean;
  /** Files shared with the message (files.completeUploadExternal), with their text for the page to show. */
  files?: PlaygroundFile[];
}

export interface PlaygroundFile {
  id: string;
  name: string;
  title: string;
  size: number;
  text: string;
}

export type TimelineEvent =
  | { type: 'message'; message: PlaygroundMessage }
  | { type: 'delete'; ts: string }
  | { type: 'views'; user: string; stack: ViewObject[] }
  | { type: 'home'; user: string; view: ViewObject }
  | { type: 'notice'; user?: string; text: string };

export interface TimelineSnapshot {
  messages: PlaygroundMessage[];
  views: Record<string, ViewObject[]>;
  /** Each person's App Home tab, as the bot last published it. */
  homes: Record<string, ViewObject>;
}

export type NewMessage = Omit<PlaygroundMessage, 'ts'> & { ts?: string };

export class Timeline {
  private readonly messages = new Map<string, PlaygroundMessage>();
  private readonly views = new Map<string, ViewObject[]>();
  private readonly homes = new Map<string, ViewObject>();
  private readonly listeners = new Set<(event: TimelineEvent) => void>();
  private lastMicros = 0;

  subscribe(listener: (event: TimelineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A `ts` for messages the playground itself adds (people's messages, command lines, slash command acks).
   * Seven digits after the dot, where the fake Slack uses Slack's six, so the two never collide.
   */
  nextTs(): string {
    this.lastMicros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    const seconds = Math.floor(this.lastMicros / 1_000_000);
    return `${seconds}.${String(this.lastMicros % 1_000_000).padStart(6, '0')}0`;
  }

  get(ts: string): PlaygroundMessage | undefined {
    return this.messages.get(ts);
  }

  add(input: NewMessage): PlaygroundMessage {
    const message: PlaygroundMessage = { ...input, ts: input.ts ?? this.nextTs() };
    this.messages.set(message.ts, message);
    this.publish({ type: 'message', message });
    return message;
  }

  update(ts: string, patch: { text?: string; blocks?: unknown[] }): PlaygroundMessage | undefined {
    const current = this.messages.get(ts);
    if (!current) return undefined;
    const message: PlaygroundMessage = { ...current, edited: true };
    if (patch.text !== undefined) message.text = patch.text;
    // chat.update without blocks keeps none: Slack replaces the message's content.
    message.blocks = patch.blocks;
    this.messages.set(ts, message);
    this.publish({ type: 'message', message });
    return message;
  }

  remove(ts: string): boolean {
    if (!this.messages.delete(ts)) return false;
    this.publish({ type: 'delete', ts });
    return true;
  }

  // ---- views

  newViewId(): string {
    return `V0${randomBytes(5).toString('hex').toUpperCase()}`;
  }

  private withIds(view: ViewObject, root?: ViewObject): ViewObject {
    const id = view.id || this.newViewId();
    return {
      ...view,
      id,
      hash: `${Date.now()}.${randomBytes(4).toString('hex')}`,
      root_view_id: root?.id ?? id,
    };
  }

  openView(user: string, view: ViewObject): ViewObject {
    const opened = this.withIds({ previous_view_id: null, ...view });
    this.setStack(user, [opened]);
    return opened;
  }

  pushView(user: string, view: ViewObject): ViewObject {
    const stack = this.views.get(user) ?? [];
    const top = stack[stack.length - 1];
    const pushed = this.withIds({ ...view, previous_view_id: top?.id ?? null }, stack[0]);
    this.setStack(user, [...stack, pushed]);
    return pushed;
  }

  /** Replace a view in place, keeping its id; found by view id or external id. */
  updateView(ref: { viewId?: string; externalId?: string }, view: ViewObject): ViewObject | undefined {
    const found = this.findView(ref);
    if (!found) return undefined;
    const stack = this.views.get(found.user) ?? [];
    const updated = this.withIds(
      { ...view, id: found.view.id, previous_view_id: found.view.previous_view_id ?? null },
      stack[0],
    );
    this.setStack(
      found.user,
      stack.map((v) => (v.id === found.view.id ? updated : v)),
    );
    return updated;
  }

  findView(ref: { viewId?: string; externalId?: string }): { user: string; view: ViewObject } | undefined {
    for (const [user, stack] of this.views) {
      const view = stack.find((v) => (ref.viewId ? v.id === ref.viewId : v.external_id === ref.externalId));
      if (view) return { user, view };
    }
    return undefined;
  }

  /** Close one view and every view pushed on top of it. */
  closeView(user: string, viewId: string): void {
    const stack = this.views.get(user) ?? [];
    const at = stack.findIndex((v) => v.id === viewId);
    if (at >= 0) this.setStack(user, stack.slice(0, at));
  }

  clearViews(user: string): void {
    this.setStack(user, []);
  }

  private setStack(user: string, stack: ViewObject[]): void {
    this.views.set(user, stack);
    this.publish({ type: 'views', user, stack });
  }

  /** The Home tab the bot published for `user` (views.publish). */
  setHome(user: string, view: ViewObject): void {
    this.homes.set(user, view);
    this.publish({ type: 'home', user, view });
  }

  home(user: string): ViewObject | undefined {
    return this.homes.get(user);
  }

  notice(text: string, user?: string): void {
    this.publish({ type: 'notice', text, ...(user ? { user } : {}) });
  }

  snapshot(): TimelineSnapshot {
    return {
      messages: [...this.messages.values()],
      views: Object.fromEntries(this.views),
      homes: Object.fromEntries(this.homes),
    };
  }

  private publish(event: TimelineEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
