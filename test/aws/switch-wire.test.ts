/**
 * Wire level: the real SDK, through the clients factory, writes and reads the failover switch against
 * loopback servers that answer as S3 (REST-XML) and Route 53 ARC's cluster endpoints (JSON 1.0) do. Proves
 * the requests (method, path, exact body, headers, signing region and service) and the endpoint rotation
 * of ARC, including an endpoint that is down and one that never answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients';
import { readSwitches, turnSwitches } from '../../src/aws/failover-switch';
import { createLiveGateway } from '../../src/aws/gateway';
import { ARC_ARN, ARC_SWITCH, OFF, ON, S3_SWITCH, switchSet } from '../workflows/switch-fixtures';

interface Received {
  server: string;
  method: string;
  path: string;
  body: string;
  headers: IncomingMessage['headers'];
}

const received: Received[] = [];
let object = ON;
let arcState = 'On';
/** How the first ARC endpoint behaves: answers, says it is out of rotation, or never answers. */
let firstEndpoint: 'ok' | 'unavailable' | 'hang' = 'ok';
const servers: Server[] = [];
const urls: Record<'s3' | 'arc1' | 'arc2', string> = { s3: '', arc1: '', arc2: '' };

function s3(req: IncomingMessage, res: ServerResponse, body: string): void {
  if (req.method === 'PUT') {
    object = body;
    res.writeHead(200, { etag: '"etag-2"', 'x-amz-version-id': 'v2' });
    res.end();
    return;
  }
  if (req.method === 'GET') {
    res.writeHead(206, {
      'content-type': 'application/json',
      'content-range': `bytes 0-${Buffer.byteLength(object) - 1}/${Buffer.byteLength(object)}`,
      etag: '"etag-2"',
      'x-amz-version-id': 'v2',
      'last-modified': 'Sat, 01 Mar 2025 10:00:00 GMT',
    });
    res.end(object);
    return;
  }
  res.writeHead(405);
  res.end();
}

function arc(name: 'arc1' | 'arc2', req: IncomingMessage, res: ServerResponse, body: string): void {
  if (name === 'arc1' && firstEndpoint === 'hang') return;
  const json = (status: number, doc: unknown, type?: string) => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      ...(type ? { 'x-amzn-errortype': type } : {}),
    });
    res.end(JSON.stringify(doc));
  };
  if (name === 'arc1' && firstEndpoint === 'unavailable') {
    json(503, { message: 'endpoint out of rotation' }, 'EndpointTemporarilyUnavailableException');
    return;
  }
  const target = String(req.headers['x-amz-target'] ?? '');
  const input = JSON.parse(body || '{}') as { RoutingControlArn?: string; RoutingControlState?: string };
  if (target === 'ToggleCustomerAPI.UpdateRoutingControlState') {
    arcState = input.RoutingControlState ?? arcState;
    json(200, {});
  } else if (target === 'ToggleCustomerAPI.GetRoutingControlState') {
    json(200, { RoutingControlArn: input.RoutingControlArn, RoutingControlState: arcState });
  } else json(400, { message: target }, 'ValidationException');
}

async function listen(name: keyof typeof urls): Promise<void> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({
        server: name,
        method: req.method ?? '',
        path: req.url ?? '',
        body,
        headers: req.headers,
      });
      if (name === 's3') s3(req, res, body);
      else arc(name, req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  await Promise.all((['s3', 'arc1', 'arc2'] as const).map(listen));
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

beforeEach(() => {
  received.length = 0;
  object = ON;
  arcState = 'On';
  firstEndpoint = 'ok';
});

function gateway(requestTimeoutMs = 5_000) {
  const clients = createAwsClients({
    connectionTimeoutMs: 1_000,
    requestTimeoutMs,
    maxAttempts: 1,
    endpoints: { s3: urls.s3 },
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  });
  return createLiveGateway(clients, { callTimeoutMs: 10_000 });
}

/** The ARC switch with its cluster endpoints on the loopback servers, the first one first. */
function arcSwitch() {
  return {
    ...ARC_SWITCH,
    clusterEndpoints: [
      { region: 'us-west-2', url: urls.arc1 },
      { region: 'ap-southeast-2', url: urls.arc2 },
    ],
  };
}

describe('the S3 switch over the wire', () => {
  it('writes the exact Off body with one regional PutObject, signed for eu-west-1, then reads it back', async () => {
    // Act
    const turn = await turnSwitches(gateway(), switchSet([S3_SWITCH]), 'failover');
    const readings = await readSwitches(gateway(), switchSet([S3_SWITCH]));

    // Assess: the write as S3 receives it
    expect(turn.outcome).toEqual({ succeeded: ['dr-s3'], failed: [] });
    const put = received.find((r) => r.method === 'PUT');
    expect(put).toMatchObject({
      server: 's3',
      path: '/sitecraft-dr-switch/failover/api.json?x-id=PutObject',
      body: OFF,
    });
    expect(put?.headers['content-type']).toBe('application/json');
    expect(put?.headers['cache-control']).toBe('no-store');
    expect(String(put?.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request/,
    );
    const get = received.find((r) => r.method === 'GET');
    expect(get?.path).toBe('/sitecraft-dr-switch/failover/api.json?x-id=GetObject');
    expect(get?.headers.range).toBe('bytes=0-16383');
    expect(readings).toEqual([
      {
        switchId: 'dr-s3',
        kind: 's3-object',
        position: 'off',
        raw: OFF,
        declared: true,
        detail: 'version v2',
        error: null,
      },
    ]);
  });

  it('failback writes the On body; a drill reads and writes nothing', async () => {
    object = OFF;

    const drill = await turnSwitches(gateway(), switchSet([S3_SWITCH]), 'failback', { drill: true });
    expect(drill.outcome).toBeNull();
    expect(drill.plan.writes.map((w) => w.value)).toEqual([ON]);
    expect(received.filter((r) => r.method !== 'GET')).toEqual([]);

    await turnSwitches(gateway(), switchSet([S3_SWITCH]), 'failback');
    expect(object).toBe(ON);
  });
});

describe('the ARC switch over the wire', () => {
  it('sends UpdateRoutingControlState as JSON 1.0, signed for the endpoint’s region', async () => {
    const turn = await turnSwitches(gateway(), switchSet([arcSwitch()]), 'failover');

    expect(turn.outcome).toEqual({ succeeded: ['dr-arc'], failed: [] });
    const update = received.find(
      (r) => r.headers['x-amz-target'] === 'ToggleCustomerAPI.UpdateRoutingControlState',
    );
    expect(update).toMatchObject({ server: 'arc1', method: 'POST', path: '/' });
    expect(JSON.parse(update?.body ?? '{}')).toEqual({
      RoutingControlArn: ARC_ARN,
      RoutingControlState: 'Off',
    });
    expect(String(update?.headers.authorization)).toMatch(
      /Credential=AKIDEXAMPLE\/\d{8}\/us-west-2\/route53-recovery-cluster\/aws4_request/,
    );
    expect(arcState).toBe('Off');
  });

  it('moves on to the next cluster endpoint when one is out of rotation', async () => {
    firstEndpoint = 'unavailable';

    const read = await gateway().routingControlState({
      routingControlArn: ARC_ARN,
      endpoints: arcSwitch().clusterEndpoints,
    });

    expect(read.state).toBe('On');
    expect(read.endpoint).toBe('ap-southeast-2');
    expect(read.attempts.map((a) => [a.region, a.error === null])).toEqual([
      ['us-west-2', false],
      ['ap-southeast-2', true],
    ]);
    const second = received.find((r) => r.server === 'arc2');
    expect(String(second?.headers.authorization)).toContain('/ap-southeast-2/route53-recovery-cluster/');
  });

  it('moves on when an endpoint never answers (the request timeout fires)', async () => {
    firstEndpoint = 'hang';

    const write = await gateway(300).updateRoutingControlState({
      routingControlArn: ARC_ARN,
      endpoints: arcSwitch().clusterEndpoints,
      state: 'Off',
    });

    expect(write.endpoint).toBe('ap-southeast-2');
    expect(write.attempts[0]?.error).toContain('timed out');
    expect(arcState).toBe('Off');
  });
});
