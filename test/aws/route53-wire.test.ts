/**
 * Wire level: the real SDK, through the clients factory's `endpoint` option, talks to a loopback server
 * that answers Route 53's REST-XML. Proves the request shapes (paths, XML body, change comment) and the
 * parsing of the answers, including an error document and a server that never answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients';
import { applyFailover, prepareFailover } from '../../src/aws/failover';
import { createLiveGateway } from '../../src/aws/gateway';
import { RECORDS, ZONE } from './fixtures';

const NS = 'https://route53.amazonaws.com/doc/2013-04-01/';

interface Received {
  method: string;
  path: string;
  body: string;
  authorization: string;
}

let server: Server;
let endpoint: string;
const received: Received[] = [];
let changePolls = 0;
let mode: 'normal' | 'throttle' | 'hang' = 'normal';

function recordSetXml(id: string, failover: string, dns: string, hc: string): string {
  return `<ResourceRecordSet><Name>api.sitecraft.example.com.</Name><Type>A</Type><SetIdentifier>${id}</SetIdentifier><Failover>${failover}</Failover><AliasTarget><HostedZoneId>Z2DHW2332DAMTN</HostedZoneId><DNSName>${dns}</DNSName><EvaluateTargetHealth>true</EvaluateTargetHealth></AliasTarget><HealthCheckId>${hc}</HealthCheckId></ResourceRecordSet>`;
}

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  const path = req.url ?? '';
  received.push({
    method: req.method ?? '',
    path,
    body,
    authorization: String(req.headers.authorization ?? ''),
  });
  if (mode === 'hang') return; // never answer: the client's request timeout must fire
  const xml = (status: number, doc: string) => {
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-1' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${doc}`);
  };
  if (mode === 'throttle') {
    xml(
      400,
      `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
    );
    return;
  }
  if (req.method === 'GET' && path.startsWith(`/2013-04-01/hostedzone/${ZONE}/rrset`)) {
    xml(
      200,
      `<ListResourceRecordSetsResponse xmlns="${NS}"><ResourceRecordSets>${recordSetXml('api-af-south-1', 'PRIMARY', 'd-afabc123.execute-api.af-south-1.amazonaws.com.', RECORDS[0]!.healthCheckId!)}${recordSetXml('api-eu-west-1', 'SECONDARY', 'd-eudef456.execute-api.eu-west-1.amazonaws.com.', RECORDS[1]!.healthCheckId!)}</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>10</MaxItems></ListResourceRecordSetsResponse>`,
    );
    return;
  }
  if (req.method === 'POST' && path === `/2013-04-01/hostedzone/${ZONE}/rrset`) {
    const comment = /<Comment>([^<]*)<\/Comment>/.exec(body)?.[1] ?? '';
    xml(
      200,
      `<ChangeResourceRecordSetsResponse xmlns="${NS}"><ChangeInfo><Id>/change/C2682N5HXP0BZ4</Id><Status>PENDING</Status><SubmittedAt>2025-03-01T10:00:00.000Z</SubmittedAt><Comment>${comment}</Comment></ChangeInfo></ChangeResourceRecordSetsResponse>`,
    );
    return;
  }
  if (req.method === 'GET' && path === '/2013-04-01/change/C2682N5HXP0BZ4') {
    changePolls++;
    const status = changePolls >= 2 ? 'INSYNC' : 'PENDING';
    xml(
      200,
      `<GetChangeResponse xmlns="${NS}"><ChangeInfo><Id>/change/C2682N5HXP0BZ4</Id><Status>${status}</Status><SubmittedAt>2025-03-01T10:00:00.000Z</SubmittedAt></ChangeInfo></GetChangeResponse>`,
    );
    return;
  }
  xml(
    404,
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>NoSuchResource</Code><Message>${path}</Message></Error></ErrorResponse>`,
  );
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
  changePolls = 0;
  mode = 'normal';
});

function gateway(overrides: { maxAttempts?: number; requestTimeoutMs?: number } = {}) {
  const clients = createAwsClients({
    connectionTimeoutMs: 1_000,
    requestTimeoutMs: overrides.requestTimeoutMs ?? 5_000,
    maxAttempts: overrides.maxAttempts ?? 1,
    endpoints: { route53: endpoint },
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  });
  return createLiveGateway(clients, { callTimeoutMs: 10_000 });
}

describe('Route 53 over the wire', () => {
  it('reads the pair, posts ChangeResourceRecordSets with the run comment, and polls GetChange until INSYNC', async () => {
    // Prepare
    const gw = gateway();
    const plan = await prepareFailover(gw, {
      direction: 'failover',
      records: RECORDS,
      comment: 'runbook-bot failover run R42 by U1 approved by U2',
    });
    expect(plan.kind).toBe('change');
    if (plan.kind !== 'change') return;

    // Act
    const applied = await applyFailover(gw, plan.batches, { wait: { intervalMs: 1, sleep: async () => {} } });

    // Assess: the requests as Route 53 receives them
    expect(received.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
      `GET /2013-04-01/hostedzone/${ZONE}/rrset`,
      `POST /2013-04-01/hostedzone/${ZONE}/rrset`,
      'GET /2013-04-01/change/C2682N5HXP0BZ4',
      'GET /2013-04-01/change/C2682N5HXP0BZ4',
    ]);
    const list = new URL(`http://x${received[0]!.path}`);
    expect(list.searchParams.get('name')).toBe('api.sitecraft.example.com');
    expect(list.searchParams.get('type')).toBe('A');
    expect(received[0]!.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/route53\/aws4_request/,
    );

    const post = received[1]!.body;
    expect(post).toContain(`<ChangeResourceRecordSetsRequest xmlns="${NS}">`);
    expect(post).toContain('<Comment>runbook-bot failover run R42 by U1 approved by U2</Comment>');
    const actions = [
      ...post.matchAll(
        /<Action>(\w+)<\/Action><ResourceRecordSet><Name>[^<]+<\/Name><Type>A<\/Type><SetIdentifier>([^<]+)<\/SetIdentifier><Failover>(\w+)<\/Failover>/g,
      ),
    ].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    expect(actions).toEqual([
      'DELETE api-af-south-1 PRIMARY',
      'DELETE api-eu-west-1 SECONDARY',
      'CREATE api-af-south-1 SECONDARY',
      'CREATE api-eu-west-1 PRIMARY',
    ]);
    expect(post).toContain('<DNSName>d-eudef456.execute-api.eu-west-1.amazonaws.com.</DNSName>');

    expect(applied).toEqual([
      {
        hostedZoneId: ZONE,
        submitted: {
          changeId: 'C2682N5HXP0BZ4',
          status: 'PENDING',
          submittedAt: '2025-03-01T10:00:00.000Z',
          comment: 'runbook-bot failover run R42 by U1 approved by U2',
        },
        final: {
          changeId: 'C2682N5HXP0BZ4',
          status: 'INSYNC',
          submittedAt: '2025-03-01T10:00:00.000Z',
          comment: null,
          polls: 2,
        },
      },
    ]);
  });

  it("parses Route 53's XML error document into a throttling message", async () => {
    mode = 'throttle';

    await expect(gateway().waitForChange('C2682N5HXP0BZ4', { sleep: async () => {} })).rejects.toMatchObject({
      kind: 'throttled',
      code: 'Throttling',
      userMessage: expect.stringContaining('Route 53 GetChange was throttled'),
    });
  });

  it('times out through the request timeout when Route 53 never answers', async () => {
    mode = 'hang';

    await expect(
      gateway({ requestTimeoutMs: 200 }).changeRecordSets({ hostedZoneId: ZONE, comment: 'c', changes: [] }),
    ).rejects.toMatchObject({
      kind: 'timeout',
      operation: { action: 'ChangeResourceRecordSets' },
    });
  });
});
