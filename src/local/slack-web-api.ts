/**
 * A fake Slack on loopback, for tests and the local playground: the Web API (`POST /api/<method>`, as
 * `@slack/web-api` sends it when `slackApiUrl` points here) and `response_url` endpoints
 * (`POST /response/<id>`). It records every call, keeps a small model of the messages and views the bot
 * produced, and emits events so the playground can stream them to a browser.
 *
 * Files take Slack's upload flow (./slack-files.ts): `files.getUploadURLExternal` hands out an upload URL on
 * this server (`POST /upload/<file id>/<secret key>`, raw bytes or multipart, as `files.uploadV2` sends them), and
 * `files.completeUploadExternal` shares the uploaded files into a channel or thread as one message.
 *
 * Events: `call` (FakeCall), `response` (ResponsePost), `message` (MessageEvent), `view` (ViewEvent).
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeFileShare, FakeFiles } from './slack-files';

export type { FakeFile, FakeFileShare } from './slack-files';

export interface FakeCall {
  method: string;
  args: Record<string, unknown>;
  /** The bearer token the call carried (or `token` in the body), undefined when none. */
  token: string | undefined;
  at: number;
  /** The client's User-Agent header (@slack/web-api names itself and the app: Bolt's name and version). */
  userAgent?: string;
}

export interface ResponseUrlContext {
  channel: string;
  user: string;
  /** The message the URL belongs to (an interaction's source message), for replace/delete_original. */
  messageTs?: string;
}

export interface ResponsePost {
  id: string;
  body: Record<string, unknown>;
  context: ResponseUrlContext;
  at: number;
  /** Sent as the slash command's acknowledgement body, not posted to the response_url. */
  ack?: true;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  thread_ts?: string;
  /** Set for ephemeral messages: the only user who sees it. */
  visibleTo?: string;
  /** Files shared with the message (files.completeUploadExternal). */
  files?: FakeFileShare[];
  /** Who posted it: `bot` for Web API posts and response_url answers. */
  via: 'chat.postMessage' | 'chat.postEphemeral' | 'response_url' | 'files.completeUploadExternal';
  deleted?: boolean;
  edited?: number;
}

export type MessageEvent = { type: 'posted' | 'updated' | 'deleted'; message: FakeMessage };

export interface FakeView {
  id: string;
  view: Record<string, unknown>;
  user?: string;
  stack: 'open' | 'push';
  previousViewId?: string;
}

export type ViewEvent = { type: 'opened' | 'updated' | 'pushed'; view: FakeView };

/** A Home tab the bot published for a user (`views.publish`). */
export interface FakeHome {
  user: string;
  id: string;
  view: Record<string, unknown>;
  hash: string;
  published: number;
}

/** What users.info says of a person (display name and real name), when a test or the playground sets it. */
export interface FakeProfile {
  real_name: string;
  display_name: string;
  tz?: string;
}

/** A handler's answer: a Web API body, or a raw HTTP reply (for 429 with Retry-After, 500, ...). */
export type FakeReply =
  | Record<string, unknown>
  | { httpStatus: number; headers?: Record<string, string>; body?: unknown };
export type FakeHandler = (args: Record<string, unknown>, call: FakeCall) => FakeReply | undefined;

/** Slack allows five posts to one response_url. */
export const RESPONSE_URL_MAX_POSTS = 5;

export interface FakeSlackOptions {
  /** Team and bot identity used in generated answers. */
  teamId?: string;
  botUserId?: string;
  botId?: string;
  /** When set, Web API calls with another token answer `invalid_auth`. */
  expectToken?: string;
}

export class FakeSlack extends EventEmitter {
  readonly calls: FakeCall[] = [];
  readonly responses: ResponsePost[] = [];
  readonly messages: FakeMessage[] = [];
  readonly views = new Map<string, FakeView>();
  /** User group ID → member user IDs, for usergroups.users.list. */
  readonly usergroups = new Map<string, string[]>();
  /** User ID → profile, for users.info (others get a profile made from the ID). */
  readonly profiles = new Map<string, FakeProfile>();
  /** User ID → the Home tab published for them last (`views.publish`). */
  readonly homes = new Map<string, FakeHome>();
  /** Users the bot may not open a DM with (`conversations.open` answers `cannot_dm_bot`). */
  readonly undmable = new Set<string>();
  /** Files the bot uploaded (files.getUploadURLExternal → upload URL → files.completeUploadExternal). */
  readonly files = new FakeFiles();

  private server: Server | undefined;
  private port = 0;
  private seq = 0;
  private readonly handlers = new Map<string, FakeHandler>();
  private readonly lostReplies = new Map<
    string,
    { how: 'drop' | number; times: number; counter: { served: number } }
  >();
  /** Per response_url: its context, posts so far, and the message it last posted (slash commands). */
  private readonly responseUrls = new Map<
    string,
    { context: ResponseUrlContext; posts: number; lastTs?: string }
  >();
  private responseUrlFailure: number | null = null;

  constructor(readonly options: FakeSlackOptions = {}) {
    super();
  }

  /** `http://127.0.0.1:<port>/` */
  get baseUrl(): string {
    if (!this.server) throw new Error('FakeSlack is not started');
    return `http://127.0.0.1:${this.port}/`;
  }

  /** What SLACK_API_URL should be set to. */
  get apiUrl(): string {
    return `${this.baseUrl}api/`;
  }

  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'fake_slack_error', detail: String(error) }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A fresh response_url bound to a channel, a user and optionally the message it came from. */
  responseUrl(context: ResponseUrlContext): string {
    const id = `R${++this.seq}${Math.random().toString(36).slice(2, 8)}`;
    this.responseUrls.set(id, { context, posts: 0 });
    return `${this.baseUrl}response/${id}`;
  }

  /**
   * A slash command acknowledged with a message body: Slack shows it as the command's first answer, as it
   * would show a post to the command's response_url (without using one of that URL's five posts).
   * Returns false when the body is not a message (an empty ack) or the URL is not one of ours.
   */
  commandAck(responseUrl: string, ackBody: string): boolean {
    const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
    const entry = this.responseUrls.get(id);
    if (!entry || ackBody.trim() === '') return false;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(ackBody) as Record<string, unknown>;
    } catch {
      body = { text: ackBody };
    }
    const post: ResponsePost = { id, body, context: entry.context, at: Date.now(), ack: true };
    this.responses.push(post);
    this.emit('response', post);
    this.applyResponse(post);
    return true;
  }

  /** Override one method's answer (return undefined to fall back to the default behaviour). */
  handleMethod(method: string, handler: FakeHandler): void {
    this.handlers.set(method, handler);
  }

  clearHandlers(): void {
    this.handlers.clear();
    this.lostReplies.clear();
    this.responseUrlFailure = null;
  }

  /**
   * Fault injection: the next `times` calls of `method` get `reply` (`{ ok: false, error: 'message_not_found' }`,
   * `{ httpStatus: 429, headers: { 'retry-after': '1' } }`, `{ httpStatus: 500 }`), later ones the default.
   * Returns a counter of the failures served.
   */
  failMethod(method: string, reply: FakeReply, times = Number.POSITIVE_INFINITY): { served: number } {
    const counter = { served: 0 };
    this.handlers.set(method, () => {
      if (counter.served >= times) return undefined;
      counter.served += 1;
      return reply;
    });
    return counter;
  }

  /**
   * Fault injection: the next `times` calls of `method` are carried out as usual (a message posted, files
   * shared), then their answer is lost: `drop` closes the connection without one, a number answers that HTTP
   * status instead. What a timeout or a 5xx after Slack did the work looks like to the bot.
   */
  loseReplies(method: string, how: 'drop' | number, times = 1): { served: number } {
    const counter = { served: 0 };
    this.lostReplies.set(method, { how, times, counter });
    return counter;
  }

  /** Fault injection: every response_url answers `status` (404 for an expired one), or works again (null). */
  failResponseUrls(status: number | null): void {
    this.responseUrlFailure = status;
  }

  callsTo(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages in a channel, oldest first; ephemeral ones only if visible to `forUser`. */
  channelMessages(channel: string, forUser?: string): FakeMessage[] {
    return this.messages.filter(
      (m) => m.channel === channel && !m.deleted && (m.visibleTo === undefined || m.visibleTo === forUser),
    );
  }

  /** Forget everything recorded (handlers and response URLs are kept). */
  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.messages.length = 0;
    this.views.clear();
    this.homes.clear();
    this.files.clear();
  }

  /** The DM channel between the bot and `user`, as conversations.open names it. */
  dmChannelOf(user: string): string {
    return `D${user.replace(/^[UW]/, '')}`;
  }

  private nextTs(): string {
    this.seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // The playground runs this on loopback beside its page: a web page in the operator's browser (a no-cors
    // POST) or on a DNS-rebound name must not reach it. Its clients (the bot, tests) send no browser headers.
    const refusal = this.browserRequest(req);
    if (refusal) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end(`Forbidden: ${refusal}`);
      return;
    }
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
      return this.handleApi(url.pathname.slice('/api/'.length), req, raw, res);
    }
    if (req.method === 'POST' && url.pathname.startsWith('/response/')) {
      return this.handleResponseUrl(url.pathname.slice('/response/'.length), raw, res);
    }
    if (req.method === 'POST' && url.pathname.startsWith('/upload/')) {
      // Slack's upload URL is not the Web API: no token needed (the URL is the secret), answers text.
      const reply = await this.files.receive(
        url.pathname.slice('/upload/'.length),
        bytes,
        req.headers['content-type'],
      );
      res.writeHead(reply.status, { 'content-type': 'text/plain' });
      res.end(reply.body);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }

  /** Why a request comes from a web page or a name other than loopback, or null when it does not. */
  private browserRequest(req: IncomingMessage): string | null {
    const hosts = [`127.0.0.1:${this.port}`, `localhost:${this.port}`, `[::1]:${this.port}`];
    const host = String(req.headers.host ?? '').toLowerCase();
    if (!hosts.includes(host)) return `Host "${host.slice(0, 100)}" is not this fake Slack`;
    if (req.headers.origin !== undefined) return 'a web page sent it (Origin)';
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'none') return `Sec-Fetch-Site is ${site}`;
    return null;
  }

  private handleApi(method: string, req: IncomingMessage, raw: string, res: ServerResponse): void {
    const args = parseArgs(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ')
      ? auth.slice('Bearer '.length)
      : (args.token as string | undefined);
    delete args.token;
    const userAgent = req.headers['user-agent'];
    const call: FakeCall = { method, args, token, at: Date.now(), ...(userAgent ? { userAgent } : {}) };
    this.calls.push(call);
    this.emit('call', call);

    const custom = this.handlers.get(method)?.(args, call);
    const reply = custom ?? this.defaultReply(call);
    const lost = this.lostReplies.get(method);
    if (lost && lost.counter.served < lost.times) {
      lost.counter.served += 1;
      if (lost.how === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(lost.how, { 'content-type': 'text/html' });
      res.end('<html><body>Bad gateway</body></html>');
      return;
    }
    if ('httpStatus' in reply && typeof reply.httpStatus === 'number') {
      const r = reply as { httpStatus: number; headers?: Record<string, string>; body?: unknown };
      res.writeHead(r.httpStatus, { 'content-type': 'application/json', ...(r.headers ?? {}) });
      res.end(JSON.stringify(r.body ?? { ok: false, error: 'fake_http_error' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply));
  }

  private defaultReply(call: FakeCall): Record<string, unknown> {
    const { method, args, token } = call;
    const teamId = this.options.teamId ?? 'T0FAKE';
    const botUserId = this.options.botUserId ?? 'U0FAKEBOT';
    const botId = this.options.botId ?? 'B0FAKEBOT';
    if (!token) return { ok: false, error: 'not_authed' };
    if (this.options.expectToken && token !== this.options.expectToken)
      return { ok: false, error: 'invalid_auth' };
    // Posting to a user ID posts in the bot's DM with them (Slack answers with the D… channel).
    const rawChannel = String(args.channel ?? '');
    const channel = /^[UW][A-Z0-9]{2,}$/.test(rawChannel) ? this.dmChannelOf(rawChannel) : rawChannel;

    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.test/',
          team: 'Fake',
          user: 'runbook',
          team_id: teamId,
          user_id: botUserId,
          bot_id: botId,
        };
      case 'chat.postMessage': {
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const message = this.post(channel, args, 'chat.postMessage');
        return {
          ok: true,
          channel,
          ts: message.ts,
          message: { type: 'message', user: botUserId, bot_id: botId, ...pick(message) },
        };
      }
      case 'chat.postEphemeral': {
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const message = this.post(channel, args, 'chat.postEphemeral', String(args.user ?? ''));
        return { ok: true, message_ts: message.ts };
      }
      case 'chat.update': {
        const target = this.messages.find((m) => m.channel === channel && m.ts === args.ts && !m.deleted);
        if (!target) return { ok: false, error: 'message_not_found' };
        if (args.text !== undefined) target.text = args.text as string;
        if (args.blocks !== undefined) target.blocks = args.blocks as unknown[];
        target.edited = Date.now();
        this.emit('message', { type: 'updated', message: target } satisfies MessageEvent);
        return { ok: true, channel, ts: target.ts, text: target.text, message: pick(target) };
      }
      case 'chat.delete': {
        const target = this.messages.find((m) => m.channel === channel && m.ts === args.ts && !m.deleted);
        if (!target) return { ok: false, error: 'message_not_found' };
        target.deleted = true;
        this.emit('message', { type: 'deleted', message: target } satisfies MessageEvent);
        return { ok: true, channel, ts: target.ts };
      }
      case 'chat.getPermalink':
        if (!channel || !args.message_ts) return { ok: false, error: 'message_not_found' };
        return {
          ok: true,
          channel,
          permalink: `https://fake.slack.test/archives/${channel}/p${String(args.message_ts ?? '').replace('.', '')}`,
        };
      case 'views.open':
      case 'views.push': {
        const view = {
          id: `V${++this.seq}`,
          view: parseMaybeJson(args.view),
          stack: method === 'views.open' ? 'open' : 'push',
        } as FakeView;
        this.views.set(view.id, view);
        this.emit('view', { type: method === 'views.open' ? 'opened' : 'pushed', view } satisfies ViewEvent);
        return { ok: true, view: { id: view.id, ...view.view } };
      }
      case 'views.update': {
        const id = String(args.view_id ?? '');
        const existing = this.views.get(id);
        if (!existing) return { ok: false, error: 'not_found' };
        existing.view = parseMaybeJson(args.view);
        this.emit('view', { type: 'updated', view: existing } satisfies ViewEvent);
        return { ok: true, view: { id, ...existing.view } };
      }
      case 'views.publish': {
        const user = String(args.user_id ?? '');
        if (!/^[UW][A-Z0-9]{2,}$/.test(user)) return { ok: false, error: 'invalid_arguments' };
        const view = parseMaybeJson<Record<string, unknown>>(args.view);
        if (view?.type !== 'home') return { ok: false, error: 'invalid_arguments' };
        const blocks = Array.isArray(view.blocks) ? view.blocks : [];
        // Slack refuses a Home tab over 100 blocks.
        if (blocks.length > 100) return { ok: false, error: 'invalid_blocks' };
        const previous = this.homes.get(user);
        if (args.hash !== undefined && previous && args.hash !== previous.hash)
          return { ok: false, error: 'hash_conflict' };
        const home: FakeHome = {
          user,
          id: previous?.id ?? `V${++this.seq}`,
          view,
          hash: `${Date.now()}.${++this.seq}`,
          published: Date.now(),
        };
        this.homes.set(user, home);
        this.emit('home', home);
        return { ok: true, view: { id: home.id, ...view, hash: home.hash } };
      }
      case 'files.getUploadURLExternal': {
        const opened = this.files.open(args);
        if ('error' in opened) return { ok: false, error: opened.error };
        return {
          ok: true,
          upload_url: `${this.baseUrl}upload/${opened.id}/${opened.key}`,
          file_id: opened.id,
        };
      }
      case 'files.completeUploadExternal': {
        const done = this.files.complete(args);
        if ('error' in done) return { ok: false, error: done.error };
        if (done.channel) {
          const comment = args.initial_comment as string | undefined;
          this.addMessage({
            channel: done.channel,
            ts: this.nextTs(),
            text: comment ?? '',
            // Slack ignores blocks when initial_comment is given.
            ...(comment === undefined && Array.isArray(args.blocks)
              ? { blocks: args.blocks as unknown[] }
              : {}),
            ...(typeof args.thread_ts === 'string' ? { thread_ts: args.thread_ts } : {}),
            files: done.files.map((f) => f.share),
            via: 'files.completeUploadExternal',
          });
        }
        return { ok: true, files: done.files.map((f) => f.info) };
      }
      case 'usergroups.users.list': {
        const users = this.usergroups.get(String(args.usergroup ?? ''));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'users.info': {
        const id = String(args.user ?? '');
        if (!/^[UW][A-Z0-9]{2,}$/.test(id)) return { ok: false, error: 'user_not_found' };
        // Like many real profiles: no display name set, so clients show the real name.
        const p = this.profiles.get(id) ?? { real_name: `User ${id}`, display_name: '' };
        return {
          ok: true,
          user: {
            id,
            team_id: teamId,
            name: id.toLowerCase(),
            real_name: p.real_name,
            tz: p.tz ?? 'Europe/London',
            is_bot: false,
            profile: { real_name: p.real_name, display_name: p.display_name },
          },
        };
      }
      case 'conversations.info':
        return {
          ok: true,
          channel: {
            id: channel,
            name: `channel-${channel.toLowerCase()}`,
            is_member: true,
            is_private: false,
          },
        };
      case 'conversations.join':
        return { ok: true, channel: { id: channel, is_member: true } };
      case 'conversations.open': {
        const users = String(args.users ?? '')
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean);
        if (users.length === 0) return { ok: false, error: 'users_list_not_supplied' };
        if (users.length > 1) return { ok: false, error: 'not_implemented_in_fake' };
        const user = users[0]!;
        if (!/^[UW][A-Z0-9]{2,}$/.test(user)) return { ok: false, error: 'user_not_found' };
        if (this.undmable.has(user)) return { ok: false, error: 'cannot_dm_bot' };
        const id = this.dmChannelOf(user);
        const opened = this.messages.some((m) => m.channel === id);
        return { ok: true, ...(opened ? { no_op: true, already_open: true } : {}), channel: { id } };
      }
      case 'conversations.members':
        return { ok: true, members: [], response_metadata: { next_cursor: '' } };
      case 'conversations.history':
        return {
          ok: true,
          messages: this.channelMessages(channel)
            .filter((m) => !m.thread_ts)
            .reverse()
            .map(pick),
          has_more: false,
        };
      case 'conversations.replies':
        return {
          ok: true,
          messages: this.channelMessages(channel)
            .filter((m) => m.ts === args.ts || m.thread_ts === args.ts)
            .map(pick),
          has_more: false,
        };
      default:
        return { ok: true };
    }
  }

  private handleResponseUrl(id: string, raw: string, res: ServerResponse): void {
    if (this.responseUrlFailure !== null) {
      res.writeHead(this.responseUrlFailure, { 'content-type': 'text/plain' });
      res.end('expired_url');
      return;
    }
    const entry = this.responseUrls.get(id);
    if (!entry) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no_such_response_url');
      return;
    }
    if (entry.posts >= RESPONSE_URL_MAX_POSTS) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('used_url');
      return;
    }
    entry.posts += 1;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('invalid_payload');
      return;
    }
    const post: ResponsePost = { id, body, context: entry.context, at: Date.now() };
    this.responses.push(post);
    this.emit('response', post);
    const posted = this.applyResponse(post, entry.lastTs);
    if (posted) entry.lastTs = posted;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  }

  /**
   * response_url semantics: delete_original, replace_original, in_channel vs ephemeral (the default). A
   * slash command's URL has no source message: there "original" is the message that URL posted last, as
   * Slack does it (a "Checking…" note replaced by the report). Returns the ts of a message it posted.
   */
  private applyResponse({ body, context }: ResponsePost, lastTs?: string): string | undefined {
    const originalTs = context.messageTs ?? lastTs;
    const original = originalTs
      ? this.messages.find((m) => m.channel === context.channel && m.ts === originalTs && !m.deleted)
      : undefined;
    if (body.delete_original === true) {
      if (original) {
        original.deleted = true;
        this.emit('message', { type: 'deleted', message: original } satisfies MessageEvent);
      }
      return undefined;
    }
    if (body.replace_original === true && original) {
      original.text = body.text as string | undefined;
      original.blocks = body.blocks as unknown[] | undefined;
      original.edited = Date.now();
      this.emit('message', { type: 'updated', message: original } satisfies MessageEvent);
      return undefined;
    }
    return this.post(
      context.channel,
      body,
      'response_url',
      body.response_type === 'in_channel' ? undefined : context.user,
    ).ts;
  }

  /** A new message from a post's `text`, `blocks` and `thread_ts`; `visibleTo` makes it ephemeral. */
  private post(
    channel: string,
    body: Record<string, unknown>,
    via: FakeMessage['via'],
    visibleTo?: string,
  ): FakeMessage {
    return this.addMessage({
      channel,
      ts: this.nextTs(),
      text: body.text as string | undefined,
      blocks: body.blocks as unknown[] | undefined,
      thread_ts: body.thread_ts as string | undefined,
      ...(visibleTo === undefined ? {} : { visibleTo }),
      via,
    });
  }

  private addMessage(message: FakeMessage): FakeMessage {
    this.messages.push(message);
    this.emit('message', { type: 'posted', message } satisfies MessageEvent);
    return message;
  }
}

export async function startFakeSlack(options: FakeSlackOptions & { port?: number } = {}): Promise<FakeSlack> {
  return new FakeSlack(options).start(options.port ?? 0);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The Web API client sends form bodies with JSON-encoded objects; some callers send JSON. */
function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = parseMaybeJson<unknown>(v);
  return out;
}

function parseMaybeJson<T = Record<string, unknown>>(value: unknown): T {
  if (typeof value !== 'string') return value as T;
  const t = value.trim();
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
    try {
      return JSON.parse(t) as T;
    } catch {
      return value as T;
    }
  }
  return value as T;
}

function pick(m: FakeMessage): Record<string, unknown> {
  return {
    ts: m.ts,
    text: m.text,
    blocks: m.blocks,
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.files ? { files: m.files.map(({ id, name, title }) => ({ id, name, title })) } : {}),
  };
}
