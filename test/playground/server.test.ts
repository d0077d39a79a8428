/**
 * The playground server without a browser: the page API becomes signed Slack requests to the real Bolt
 * app over loopback HTTP, and what the bot does comes back on the timeline and the event stream.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';
import { createPlaygroundAws } from '../../src/playground/aws';
import { DEMO_APPROVERS_FILE, type Playground, startPlayground } from '../../src/playground/server';
import { DEMO_USERS } from '../../src/playground/users';
import { createMemoryLogger } from '../../src/slack/logger';
import { loadTestArtifact } from '../helpers/artifact';

const ALICE = 'U0PLAYALICE';
const INCIDENTS = 'C0PLAYINC';

let playground: Playground;

beforeAll(async () => {
  playground = await startPlayground({
    config: loadConfig({}),
    artifact: await loadTestArtifact(),
    port: 0,
    logger: createMemoryLogger(),
    scenario: 'primary-down',
  });
});

afterAll(async () => {
  await playground?.close();
});

async function postJson(
  path: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${playground.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function waitFor<T>(probe: () => T | undefined | null | false, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('playground server', () => {
  it('turns a typed command into a signed slash command and shows the answer only to its author', async () => {
    const { status, json } = await postJson('/api/command', {
      user: ALICE,
      channel: INCIDENTS,
      text: '/runbook help',
    });
    expect(status).toBe(200);
    expect(json).toEqual({ ok: true });

    const { messages } = playground.timeline.snapshot();
    expect(messages.some((m) => m.kind === 'command' && m.user === ALICE && m.text === '/runbook help')).toBe(
      true,
    );
    const reply = await waitFor(
      () => playground.timeline.snapshot().messages.find((m) => m.bot && m.text.includes('help')),
      'the help reply',
    );
    expect(reply.ephemeral_to).toBe(ALICE);
    expect(reply.blocks?.length).toBeGreaterThan(0);

    // Help answers in the ack body: the playground shows it without a post to the response_url.
    expect(playground.fake.responses).toEqual([]);
  });

  it('shows the search report over its own store at /api/report', async () => {
    const res = await fetch(`${playground.url}/api/report`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^Search feedback \d{4}-\d{2}-\d{2} → \d{4}-\d{2}-\d{2}: \d+ record\(s\)/);
    expect(text).toContain('Unanswered queries (no good match):');
  });

  it('serves the Bolt app at /slack/events behind signature verification', async () => {
    const res = await fetch(`${playground.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-slack-signature': 'v0=0000000000000000000000000000000000000000000000000000000000000000',
      },
      body: 'command=%2Frunbook&text=help',
    });
    expect(res.status).toBe(401);
  });

  it('refuses commands other than the app command and users it does not know', async () => {
    const other = await postJson('/api/command', { user: ALICE, channel: INCIDENTS, text: '/deploy now' });
    expect(other.status).toBe(400);
    expect(other.json.error).toMatch(/not a valid command/);
    const stranger = await postJson('/api/command', {
      user: 'U0NOBODY',
      channel: INCIDENTS,
      text: '/runbook help',
    });
    expect(stranger.status).toBe(400);
  });

  // Found in a review (helper-191): a body with a field missing or of the wrong type got 500 "hit an error".
  it.each([
    ['/api/command', { user: ALICE, channel: INCIDENTS }],
    ['/api/command', { user: ALICE, channel: INCIDENTS, text: 42 }],
    ['/api/message', { user: ALICE, channel: INCIDENTS }],
    ['/api/action', { user: ALICE }],
    ['/api/action', { user: ALICE, action: 'Done' }],
    ['/api/clock', null],
  ])('answers %s with a missing or ill-typed field (%j) with 400, not 500', async (path, body) => {
    // A click names a message that exists: only the action is wrong.
    await postJson('/api/message', { user: ALICE, channel: INCIDENTS, text: 'a message to click on' });
    const [last] = playground.timeline.snapshot().messages.slice(-1);
    const sent = path === '/api/action' ? { ...body, message_ts: last?.ts } : body;
    const res = await postJson(path, sent);
    expect(res.status).toBe(400);
    expect(res.json.ok).toBe(false);
  });

  it('accepts only JSON on its API, so a cross-site form cannot drive it', async () => {
    const res = await fetch(`${playground.url}/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=U0PLAYALICE&channel=C0PLAYINC&text=%2Frunbook+help',
    });
    expect(res.status).toBe(415);
  });

  it('streams a snapshot first on /api/events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${playground.url}/api/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    const [eventLine, dataLine] = text.split('\n');
    expect(eventLine).toBe('event: snapshot');
    const snapshot = JSON.parse(dataLine!.slice('data: '.length));
    expect(snapshot.users.map((u: { id: string }) => u.id)).toContain(ALICE);
    expect(snapshot.aws).toMatchObject({ simulated: true, scenario: 'primary-down' });
  });

  it('serves the page with a strict content security policy and nothing outside its file list', async () => {
    const page = await fetch(`${playground.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script src="/blockkit.js"');
    expect((await fetch(`${playground.url}/../server.ts`)).status).toBe(404);
    expect((await fetch(`${playground.url}/approvers.demo.yaml`)).status).toBe(404);
  });

  it('switches the simulated AWS scenario and refuses unknown ones', async () => {
    expect((await postJson('/api/scenario', { scenario: 'primary-healthy' })).status).toBe(200);
    expect(playground.aws.status().scenario).toBe('primary-healthy');
    const gateway = await playground.deps.getAws();
    expect(gateway.mode).toBe('simulated');
    expect(gateway.label).toBe('SIMULATED (primary-healthy)');
    expect((await postJson('/api/scenario', { scenario: 'nowhere' })).status).toBe(400);
  });
});

/** A raw request, with headers Node's fetch will not let us set (Host), as a web page or a rebound name would send them. */
function raw(
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: playground.port,
        method,
        path,
        headers: { connection: 'close', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
          // The event stream never ends by itself: its first event is enough.
          if (path === '/api/events' && text.includes('\n\n')) res.destroy();
        });
        res.on('close', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('only this machine’s own page drives the playground (DNS rebinding, other sites)', () => {
  const local = () => `localhost:${playground.port}`;
  const command = JSON.stringify({ user: ALICE, channel: INCIDENTS, text: '/runbook help' });
  const json = { 'content-type': 'application/json' };

  it.each([
    ['a rebound name in Host', () => ({ host: `evil.example:${playground.port}` })],
    ['another port in Host', () => ({ host: 'localhost:1' })],
    ['another site in Origin', () => ({ host: local(), origin: 'http://evil.example' })],
    ['an opaque Origin (sandboxed frame, file://)', () => ({ host: local(), origin: 'null' })],
    ['an https Origin of the same host', () => ({ host: local(), origin: `https://${local()}` })],
    ['a cross-site fetch', () => ({ host: local(), 'sec-fetch-site': 'cross-site' })],
    ['a same-site (other subdomain or port) fetch', () => ({ host: local(), 'sec-fetch-site': 'same-site' })],
  ])(
    'refuses %s with 403, on the API, the event stream and the page, and acts on nothing',
    async (_name, headers) => {
      const before = playground.fake.calls.length + playground.fake.responses.length;
      expect((await raw('POST', '/api/command', { ...json, ...headers() }, command)).status).toBe(403);
      expect(
        (await raw('POST', '/api/scenario', { ...json, ...headers() }, '{"scenario":"primary-healthy"}'))
          .status,
      ).toBe(403);
      expect((await raw('GET', '/api/events', headers())).status).toBe(403);
      expect((await raw('GET', '/api/state', headers())).status).toBe(403);
      expect((await raw('GET', '/', headers())).status).toBe(403);
      await new Promise((r) => setTimeout(r, 100));
      expect(playground.fake.calls.length + playground.fake.responses.length).toBe(before);
    },
  );

  it('accepts its own page: loopback Host with the port, same Origin, same-origin fetches', async () => {
    for (const host of [local(), `127.0.0.1:${playground.port}`]) {
      const own = { host, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' };
      expect((await raw('GET', '/api/state', own)).status).toBe(200);
      expect((await raw('GET', '/api/events', own)).status).toBe(200);
    }
    expect(
      (await raw('POST', '/api/command', { ...json, host: local(), origin: `http://${local()}` }, command))
        .status,
    ).toBe(200);
    // Typed in the address bar: no Origin, Sec-Fetch-Site none.
    expect((await raw('GET', '/', { host: local(), 'sec-fetch-site': 'none' })).status).toBe(200);
  });
});

describe('live AWS only when asked for', () => {
  it('simulates AWS even with credentials in the environment, and goes live only with PLAYGROUND_LIVE_AWS=1', async () => {
    const artifact = await loadTestArtifact();
    const withCredentials = {
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_REGION: 'eu-west-1',
    };
    const simulated = createPlaygroundAws(loadConfig(withCredentials), artifact);
    expect(simulated.status().simulated).toBe(true);
    expect((await simulated.getAws()).mode).toBe('simulated');
    const live = createPlaygroundAws(loadConfig({ ...withCredentials, PLAYGROUND_LIVE_AWS: '1' }), artifact);
    expect(live.status()).toMatchObject({ simulated: false, scenario: null });
    expect(() => live.setScenario('primary-down')).toThrow(/AWS is live/);
  });
});

describe('demo approvers', () => {
  async function demoRoles(): Promise<Record<string, string[]>> {
    return parse(await readFile(DEMO_APPROVERS_FILE, 'utf8')).roles as Record<string, string[]>;
  }

  /** Can each role be signed by a different person, none of them the one who started the run? */
  function signable(roles: readonly string[], members: Record<string, string[]>, starter: string): boolean {
    const assign = (i: number, used: Set<string>): boolean => {
      if (i === roles.length) return true;
      return (members[roles[i]!] ?? []).some(
        (user) => user !== starter && !used.has(user) && assign(i + 1, new Set([...used, user])),
      );
    };
    return assign(0, new Set());
  }

  it('let someone other than Alice sign every approval gate in the runbooks', async () => {
    const artifact = await loadTestArtifact();
    const members = await demoRoles();
    const gates = artifact.checklists.flatMap((c) => c.items.filter((item) => item.type === 'gate'));
    expect(gates.length).toBeGreaterThan(0);
    for (const gate of gates) {
      expect(
        signable(gate.roles, members, 'U0PLAYALICE'),
        `gate "${gate.title}" (${gate.roles.join(', ')})`,
      ).toBe(true);
    }
  });

  it('match the roles shown next to each demo user', async () => {
    const members = await demoRoles();
    for (const user of DEMO_USERS) {
      const held = Object.keys(members).filter((role) => members[role]!.includes(user.id));
      expect(held.sort(), user.name).toEqual([...user.roles].sort());
    }
  });
});

describe('CloudWatch alarms from infra/dr.yaml', () => {
  it("offers every alarm of the template, named with the template's prefix, all OK at first", async () => {
    const state = (await (await fetch(`${playground.url}/api/state`)).json()) as {
      alarms: { name: string; fullName: string; state: string }[];
    };
    expect(state.alarms.map((a) => a.name).sort()).toEqual([
      'api-5xx',
      'api-latency-p99',
      'bedrock-throttles',
      'r53-primary-unhealthy',
      'r53-secondary-unhealthy',
      'r53-switch-off',
    ]);
    expect(state.alarms.find((a) => a.name === 'api-5xx')).toMatchObject({
      fullName: 'sitecraft-prod-api-5xx',
      state: 'OK',
    });
  });

  it('sends ALARM then OK as SNS would, and the bot posts then updates one message with the declared section', async () => {
    expect((await postJson('/api/alarm', { alarm: 'bedrock-throttles', state: 'ALARM' })).status).toBe(200);
    const posted = await waitFor(
      () =>
        playground.timeline
          .snapshot()
          .messages.find(
            (m) => m.bot && m.channel === INCIDENTS && m.text.includes('sitecraft-prod-bedrock-throttles'),
          ),
      'the alarm message',
    );
    const text = JSON.stringify(posted.blocks);
    expect(text).toContain('*ALARM* `sitecraft-prod-bedrock-throttles` (af-south-1)');
    expect(text).toContain('Generation timeout');
    expect(text).not.toContain('Start failover');
    expect(playground.alarms.list().find((a) => a.name === 'bedrock-throttles')?.state).toBe('ALARM');

    expect((await postJson('/api/alarm', { alarm: 'bedrock-throttles', state: 'OK' })).status).toBe(200);
    await waitFor(
      () => JSON.stringify(playground.timeline.get(posted.ts)?.blocks).includes('Back to OK at'),
      'the same message back to OK',
    );
    const alarmMessages = playground.timeline
      .snapshot()
      .messages.filter((m) => m.bot && m.text.includes('sitecraft-prod-bedrock-throttles'));
    expect(alarmMessages).toHaveLength(1);
  });

  it('refuses an alarm the template does not define, and a state other than ALARM or OK, changing nothing', async () => {
    const before = playground.timeline.snapshot().messages.length;
    expect(await postJson('/api/alarm', { alarm: 'made-up', state: 'ALARM' })).toEqual({
      status: 400,
      json: { ok: false, error: 'No alarm "made-up" in infra/dr.yaml' },
    });
    expect(await postJson('/api/alarm', { alarm: 'api-5xx', state: 'INSUFFICIENT_DATA' })).toEqual({
      status: 400,
      json: { ok: false, error: 'state must be ALARM or OK' },
    });
    expect(playground.timeline.snapshot().messages.length).toBe(before);
    expect(playground.alarms.list().find((a) => a.name === 'api-5xx')?.state).toBe('OK');
  });
});
