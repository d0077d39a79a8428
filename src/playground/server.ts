/**
 * The local playground: one HTTP server that serves a Slack-like page, a small JSON API for it, a
 * Server-Sent Events stream of what the bot does, and the Bolt app itself at /slack/events. The page's
 * actions become requests signed as Slack signs them and POSTed over loopback HTTP to /slack/events; the
 * bot answers through a fake Slack Web API (src/local/slack-web-api.ts) whose events the page receives.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import type { Config, StoreConfig } from '../config';
import { type FakeSlack, startFakeSlack } from '../local/slack-web-api';
import type { Artifact } from '../runbooks/model/model';
import { createApp } from '../slack/app';
import { type AppDeps, createDeps } from '../slack/deps';
import { handleSnsEvent } from '../slack/features/alarms/sns';
import type { Logger } from '../slack/logger';
import { createHttpReceiver, SLACK_EVENTS_PATH } from '../slack/receivers';
import { runTimers, startTimerLoop } from '../slack/timers';
import { lazyStore } from '../store/factory';
import { buildFeedbackReport, formatFeedbackReport } from '../workflows/feedback-report';
import { createPlaygroundAlarms, type PlaygroundAlarms, UnknownAlarmError } from './alarms';
import { createApi, type PlaygroundApi, PlaygroundRequestError } from './api';
import { createPlaygroundAws, type PlaygroundAws, UnknownScenarioError } from './aws';
import { createSlackSender } from './bolt-client';
import { bridgeFakeSlack } from './slack-bridge';
import { EventStream } from './sse';
import { isStaticPath, serveStatic } from './static';
import { Timeline } from './timeline';
import { DEMO_CHANNELS, DEMO_USERS, EXAMPLE_COMMANDS, PLAYGROUND_BOT, PLAYGROUND_TEAM } from './users';

/** The playground's search report covers this many days, as `runbook report` does by default. */
const REPORT_DAYS = 30;

export const DEMO_APPROVERS_FILE = join(__dirname, 'approvers.demo.yaml');
const MAX_API_BODY_BYTES = 1024 * 1024;

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(readonly port: number) {
    super(
      `port ${port} is already in use: stop what is using it, or pick another port (PORT=${port + 1} npm start)`,
    );
  }
}

export interface PlaygroundOptions {
  config: Config;
  /** Default `config.port`; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the playground has no authentication, so it stays on this machine. */
  host?: string;
  artifact?: Artifact;
  /** AWS scenario to start with (otherwise AWS_SIMULATION, else the default). */
  scenario?: string;
  /** The CloudFormation template whose alarms "Raise alarm" offers (default: the repository's infra/dr.yaml). */
  alarmTemplate?: string;
  logger?: Logger;
}

export interface Playground {
  /** `http://localhost:<port>` */
  url: string;
  port: number;
  app: App;
  deps: AppDeps;
  fake: FakeSlack;
  timeline: Timeline;
  aws: PlaygroundAws;
  alarms: PlaygroundAlarms;
  close(): Promise<void>;
}

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  // A fresh secret and token per process: the only parties who know them live in this process.
  const secrets = {
    signingSecret: randomBytes(32).toString('hex'),
    botToken: `xoxb-playground-${randomBytes(12).toString('hex')}`,
  };
  const fake = await startFakeSlack({
    teamId: PLAYGROUND_TEAM.id,
    botUserId: PLAYGROUND_BOT.userId,
    botId: PLAYGROUND_BOT.botId,
    expectToken: secrets.botToken,
  });
  const store = lazyStore(playgroundStore(options.config.store));
  try {
    return await assemble(options, secrets, fake, store);
  } catch (error) {
    await Promise.allSettled([fake.close(), store.close()]);
    throw error;
  }
}

async function assemble(
  options: PlaygroundOptions,
  { signingSecret, botToken }: { signingSecret: string; botToken: string },
  fake: FakeSlack,
  store: ReturnType<typeof lazyStore>,
): Promise<Playground> {
  const alarms = createPlaygroundAlarms({
    ...(options.alarmTemplate ? { templatePath: options.alarmTemplate } : {}),
    prefix: () => config.aws.alarmPrefix,
    region: options.config.aws.primaryRegion,
  });
  const config = playgroundConfig(
    options.config,
    { signingSecret, botToken, apiUrl: fake.apiUrl },
    alarms.templatePrefix,
  );
  // The app's clock, which the page may move forward to see a reminder without waiting (/api/clock).
  const clock = { offsetMs: 0 };
  const now = () => new Date(Date.now() + clock.offsetMs);

  const deps = await createDeps(config, {
    now,
    ...(options.artifact ? { artifact: options.artifact } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    getStore: store.getStore,
  });
  const aws = createPlaygroundAws(config, deps.artifact, options.scenario);
  deps.getAws = aws.getAws;

  const receiver = createHttpReceiver(deps);
  const app = createApp({ deps, receiver });

  const timeline = new Timeline();
  const triggers = new Map<string, string>();
  const unbridge = bridgeFakeSlack({ fake, timeline, triggers, botUserId: PLAYGROUND_BOT.userId });
  const stream = new EventStream();
  const unsubscribe = timeline.subscribe((event) => {
    if (event.type === 'message') stream.send('message', event.message);
    else if (event.type === 'delete') stream.send('delete', { ts: event.ts });
    else if (event.type === 'views') stream.send('views', { user: event.user, stack: event.stack });
    else if (event.type === 'home') stream.send('home', { user: event.user, view: event.view });
    else stream.send('notice', { user: event.user, text: event.text });
  });

  let port = 0;
  const api = createApi({
    timeline,
    // The app is served by this very server, on the port known once it listens.
    sender: createSlackSender({
      eventsUrl: () => `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`,
      signingSecret,
      now,
    }),
    dmChannelOf: (user) => fake.dmChannelOf(user),
    now,
    mintResponseUrl: (context) => fake.responseUrl(context),
    rememberView: (user, view) => fake.views.set(view.id, { id: view.id, view, user, stack: 'push' }),
    triggers,
    slashCommand: config.slashCommand,
    botUserId: PLAYGROUND_BOT.userId,
  });

  const clockStatus = () => ({
    offsetMinutes: Math.round(clock.offsetMs / 60_000),
    now: now().toISOString(),
  });
  const snapshot = () => ({
    users: DEMO_USERS,
    channels: DEMO_CHANNELS,
    bot: { id: PLAYGROUND_BOT.userId, name: PLAYGROUND_BOT.name },
    examples: EXAMPLE_COMMANDS.map((e) => e.replace(/^\/runbook\b/, config.slashCommand)),
    aws: aws.status(),
    dmChannels: Object.fromEntries(DEMO_USERS.map((u) => [u.id, fake.dmChannelOf(u.id)])),
    clock: clockStatus(),
    alarms: alarms.list(),
    ...timeline.snapshot(),
  });

  const routes: Record<string, (body: Record<string, unknown>) => Promise<unknown> | unknown> = {
    '/api/command': (b) => api.command(b as Parameters<PlaygroundApi['command']>[0]),
    '/api/message': (b) => api.message(b as Parameters<PlaygroundApi['message']>[0]),
    '/api/action': (b) => api.action(b as unknown as Parameters<PlaygroundApi['action']>[0]),
    '/api/view-submit': (b) => api.viewSubmit(b as unknown as Parameters<PlaygroundApi['viewSubmit']>[0]),
    '/api/view-close': (b) => api.viewClose(b as Parameters<PlaygroundApi['viewClose']>[0]),
    '/api/home-opened': (b) => api.homeOpened(b as Parameters<PlaygroundApi['homeOpened']>[0]),
    // Move the app's clock forward and run the timers now: a reminder shows without waiting for it.
    '/api/clock': async (b) => {
      const minutes = Number(b.minutes);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60)
        throw new PlaygroundRequestError(400, 'Move the clock forward by 1 to 1440 whole minutes');
      clock.offsetMs += minutes * 60_000;
      stream.send('clock', clockStatus());
      timeline.notice(`The clock moved ${minutes} min forward (simulated); timers that are due fire now.`);
      await runTimers(deps);
      await deps.drain?.();
      return { ok: true, ...clockStatus() };
    },
    '/api/scenario': (b) => {
      aws.setScenario(String(b.scenario ?? ''));
      stream.send('aws', aws.status());
      timeline.notice(`AWS scenario is now "${aws.status().scenario}" (simulated).`);
      return { ok: true };
    },
    // CloudWatch's side of an alarm: the notification goes through the alarm Lambda's own SNS handling.
    '/api/alarm': async (b) => {
      const state = b.state === 'ALARM' || b.state === 'OK' ? b.state : null;
      if (!state) throw new PlaygroundRequestError(400, 'state must be ALARM or OK');
      const { event, commit } = alarms.transition(String(b.alarm ?? ''), state);
      const name = alarms.list().find((a) => a.name === b.alarm)?.fullName ?? '';
      try {
        await handleSnsEvent(deps, event);
      } catch (error) {
        // Nothing changes: the bot never had it, so the page still offers to send it again.
        deps.logger.error('playground alarm not delivered', { alarm: name, error });
        throw new PlaygroundRequestError(
          502,
          'The alarm notification could not be delivered; see the terminal.',
        );
      }
      commit();
      timeline.notice(`CloudWatch (playground): ${name} is now ${state}; SNS delivered it to the bot.`);
      stream.send('alarms', alarms.list());
      return { ok: true };
    },
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      deps.logger.error('playground request failed', { path: req.url, error });
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: 'The playground hit an error; see the terminal.' });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    // DNS rebinding and other web pages: only this machine's own page may drive the playground.
    const refusal = foreignRequest(req, port);
    if (refusal) {
      deps.logger.warn('playground request refused', { path: pathname, reason: refusal });
      res.writeHead(403, { 'content-type': 'text/plain' }).end(`Forbidden: ${refusal}`);
      return;
    }
    if (pathname === SLACK_EVENTS_PATH) return receiver.requestListener(req, res);
    if (req.method === 'GET' && isStaticPath(pathname)) return serveStatic(pathname, res);
    if (req.method === 'GET' && pathname === '/api/state') return sendJson(res, 200, snapshot());
    if (req.method === 'GET' && pathname === '/api/events') {
      stream.open(req, res, { event: 'snapshot', data: snapshot() });
      return;
    }
    // The runbook authors' report (`runbook report`) over this playground's store.
    if (req.method === 'GET' && pathname === '/api/report') {
      // Up to the bot's clock, which records the queries: one typed after "+30 min" is dated then.
      const until = now();
      const window = {
        since: new Date(until.getTime() - REPORT_DAYS * 86_400_000).toISOString(),
        until: until.toISOString(),
      };
      const records = await (await deps.getStore()).listFeedback(window.since, window.until);
      const text = formatFeedbackReport(buildFeedbackReport(records, deps.artifact, window));
      res
        .writeHead(200, {
          'content-type': 'text/plain; charset=utf-8',
          'cache-control': 'no-store',
          // Queries people typed are in it: never let a browser read it as anything but text.
          'x-content-type-options': 'nosniff',
        })
        .end(text);
      return;
    }
    if (req.method === 'GET' && pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const route = routes[pathname];
    if (req.method !== 'POST' || !route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    // A cross-site form cannot send application/json without a preflight, which this server never allows.
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(res, 415, { ok: false, error: 'Send application/json' });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      return sendJson(res, 400, { ok: false, error: 'Body is not JSON' });
    }
    // The routes read fields of an object: `null`, a number or a list is the caller's mistake (400, not 500).
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return sendJson(res, 400, { ok: false, error: 'Body must be a JSON object' });
    try {
      sendJson(res, 200, (await route(body)) ?? { ok: true });
    } catch (error) {
      if (error instanceof PlaygroundRequestError)
        return sendJson(res, error.status, { ok: false, error: error.message });
      if (error instanceof UnknownScenarioError || error instanceof UnknownAlarmError)
        return sendJson(res, 400, { ok: false, error: error.message });
      throw error;
    }
  }

  const wantedPort = options.port ?? config.port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      unsubscribe();
      unbridge();
      stream.close();
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(wantedPort) : error);
    });
    server.listen(wantedPort, options.host ?? '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const stopTimers = startTimerLoop(deps);
  return {
    url: `http://localhost:${port}`,
    port,
    app,
    deps,
    fake,
    timeline,
    aws,
    alarms,
    async close() {
      stopTimers();
      unsubscribe();
      unbridge();
      stream.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([fake.close(), store.close()]);
    },
  };
}

/**
 * The playground's store: always the embedded dynalite (persistent with STORE_PATH), whatever STORE,
 * TABLE_NAME or DYNAMODB_ENDPOINT say. Those may name the deployed bot's table (exported for `runbook
 * report`): drills would be written into it, and the playground's timer sweep would fire the deployed
 * runs' reminders into the fake Slack and re-sync their approval DMs with the demo approvers.
 */
export function playgroundStore(base: StoreConfig): StoreConfig {
  return { kind: 'embedded', tableName: base.tableName, ...(base.path ? { path: base.path } : {}) };
}

/** The app's configuration inside the playground: HTTP mode against the fake Slack, demo approvers. */
export function playgroundConfig(
  base: Config,
  slack: { signingSecret: string; botToken: string; apiUrl: string },
  /** ALARM_PREFIX when none is set: the alarm template's, so its alarms map to their sections. */
  templateAlarmPrefix = '',
): Config {
  const [incidents, stakeholders] = DEMO_CHANNELS;
  return {
    ...base,
    mode: 'http',
    slack: {
      ...base.slack,
      ...slack,
      botUserId: PLAYGROUND_BOT.userId,
      botId: PLAYGROUND_BOT.botId,
    },
    approversFile: DEMO_APPROVERS_FILE,
    store: playgroundStore(base.store),
    aws: {
      ...base.aws,
      alarmPrefix: base.aws.alarmPrefix || templateAlarmPrefix,
      alarmChannel: base.aws.alarmChannel ?? incidents?.id,
      stakeholderChannels:
        base.aws.stakeholderChannels.length > 0
          ? base.aws.stakeholderChannels
          : stakeholders
            ? [stakeholders.id]
            : [],
    },
  };
}

/**
 * Why a request does not come from the playground's own page on this machine, or null when it does:
 * - `Host` must be the loopback name and port it listens on (a DNS-rebound name is refused);
 * - `Origin`, when sent (browsers send it on every POST and cross-origin request), must be that same origin;
 * - `Sec-Fetch-Site`, when sent, must say same-origin (or `none`: typed in the address bar).
 */
export function foreignRequest(req: Pick<IncomingMessage, 'headers'>, port: number): string | null {
  const hosts = new Set([`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
  const host = String(req.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return `Host "${host.slice(0, 100)}" is not this playground`;
  const origin = req.headers.origin;
  if (
    origin !== undefined &&
    !hosts.has(
      String(origin)
        .toLowerCase()
        .replace(/^http:\/\//, ''),
    )
  )
    return 'the request comes from another origin';
  if (String(origin ?? '').length > 0 && !String(origin).toLowerCase().startsWith('http://'))
    return 'the request comes from another origin';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site is ${site}`;
  return null;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_API_BODY_BYTES) {
        reject(new PlaygroundRequestError(413, 'Body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
