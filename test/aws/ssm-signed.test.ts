/**
 * The SDK-free `GetParameters` (src/aws/ssm-secrets.ts `signedGetParameters`) on the wire: a loopback
 * stand-in for SSM receives the request, checks its shape (AWS JSON 1.1, the target, WithDecryption) and
 * recomputes its signature with the AWS SDK's signer from what arrived, then answers as SSM would.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultGetParameters,
  readSlackSecrets,
  SsmRequestError,
  signedGetParameters,
  ssmEndpoint,
} from '../../src/aws/ssm-secrets';
import { NodeSha256 } from '../helpers/node-sha256';

const CREDENTIALS = {
  accessKeyId: 'ASIAWIRETEST',
  secretAccessKey: 'wire-test-secret-key',
  sessionToken: 'wire-test-session-token',
};
const VALUES: Record<string, string> = {
  '/runbook-bot/dev/slack-bot-token': 'xoxb-wire-token',
  '/runbook-bot/dev/slack-signing-secret': 'wire-signing-secret',
};

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  signatureValid: boolean;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A loopback SSM; `answers` are used in turn (the last one repeats): a status, or the real answer. */
async function fakeSsm(answers: (number | 'ok')[] = ['ok']): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', async () => {
      const auth = String(req.headers.authorization ?? '');
      const signed = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';') ?? [];
      const date = String(req.headers['x-amz-date']);
      const signingDate = new Date(
        `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
      );
      const expected = await new SignatureV4({
        credentials: CREDENTIALS,
        region: 'eu-west-1',
        service: 'ssm',
        sha256: NodeSha256,
        applyChecksum: false,
      }).sign(
        {
          method: req.method ?? '',
          protocol: 'http:',
          hostname: '127.0.0.1',
          path: req.url ?? '/',
          query: {},
          headers: Object.fromEntries(
            signed.filter((h) => h !== 'x-amz-date').map((h) => [h, String(req.headers[h])]),
          ),
          body,
        },
        { signingDate },
      );
      received.push({ headers: req.headers, body, signatureValid: expected.headers.authorization === auth });
      const answer = answers[Math.min(received.length - 1, answers.length - 1)];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (answer !== 'ok') {
        res.statusCode = answer ?? 500;
        res.end(
          JSON.stringify(
            answer === 400
              ? { __type: 'AccessDeniedException', message: 'not authorized to perform: ssm:GetParameters' }
              : { __type: 'InternalServerError', message: 'try again' },
          ),
        );
        return;
      }
      const { Names = [] } = JSON.parse(body) as { Names?: string[] };
      res.end(
        JSON.stringify({
          Parameters: Names.filter((n) => VALUES[n]).map((Name) => ({
            Name,
            Type: 'SecureString',
            Value: VALUES[Name],
            Version: 1,
          })),
          InvalidParameters: Names.filter((n) => !VALUES[n]),
        }),
      );
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe('signedGetParameters on the wire', () => {
  it('sends one signed AWS JSON 1.1 GetParameters with decryption and reads the SecureString values', async () => {
    const ssm = await fakeSsm();
    const read = signedGetParameters({ endpoint: ssm.url, region: 'eu-west-1', credentials: CREDENTIALS });

    const secrets = await readSlackSecrets('/runbook-bot/dev/', read);

    expect(secrets).toEqual({
      SLACK_BOT_TOKEN: 'xoxb-wire-token',
      SLACK_SIGNING_SECRET: 'wire-signing-secret',
    });
    expect(ssm.received).toHaveLength(1);
    const [req] = ssm.received;
    expect(req?.signatureValid).toBe(true);
    expect(req?.headers).toMatchObject({
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonSSM.GetParameters',
      'x-amz-security-token': 'wire-test-session-token',
    });
    expect(String(req?.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAWIRETEST\/\d{8}\/eu-west-1\/ssm\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
    expect(JSON.parse(req?.body ?? '')).toEqual({
      Names: ['/runbook-bot/dev/slack-bot-token', '/runbook-bot/dev/slack-signing-secret'],
      WithDecryption: true,
    });
  });

  it('retries a 5xx and then answers', async () => {
    const ssm = await fakeSsm([500, 'ok']);
    const read = signedGetParameters({
      endpoint: ssm.url,
      region: 'eu-west-1',
      credentials: CREDENTIALS,
      backoff: () => 1,
    });
    await expect(readSlackSecrets('/runbook-bot/dev', read)).resolves.toMatchObject({
      SLACK_BOT_TOKEN: 'xoxb-wire-token',
    });
    expect(ssm.received.map((r) => r.signatureValid)).toEqual([true, true]);
  });

  it('gives up after three 5xx, and never retries access denied, naming it without any secret', async () => {
    const failing = await fakeSsm([503]);
    const read = signedGetParameters({
      endpoint: failing.url,
      region: 'eu-west-1',
      credentials: CREDENTIALS,
      backoff: () => 1,
    });
    await expect(read(['/x'])).rejects.toBeInstanceOf(SsmRequestError);
    expect(failing.received).toHaveLength(3);
    await new Promise<void>((r) => server?.close(() => r()));

    const denied = await fakeSsm([400]);
    const error = await signedGetParameters({
      endpoint: denied.url,
      region: 'eu-west-1',
      credentials: CREDENTIALS,
    })(['/x']).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AccessDeniedException', status: 400 });
    expect(String((error as Error).message)).not.toContain(CREDENTIALS.secretAccessKey);
    expect(denied.received).toHaveLength(1);
  });

  it('uses the environment: credentials, region and the SSM endpoint override', async () => {
    const ssm = await fakeSsm();
    const read = defaultGetParameters({
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_SSM: ssm.url,
    });
    await expect(readSlackSecrets('/runbook-bot/dev/', read)).resolves.toMatchObject({
      SLACK_SIGNING_SECRET: 'wire-signing-secret',
    });
    expect(ssm.received[0]?.signatureValid).toBe(true);
  });
});

describe('ssmEndpoint', () => {
  it('is the regional HTTPS endpoint unless overridden', () => {
    expect(ssmEndpoint({ AWS_REGION: 'af-south-1' })).toBe('https://ssm.af-south-1.amazonaws.com');
    expect(ssmEndpoint({ AWS_REGION: 'cn-north-1' })).toBe('https://ssm.cn-north-1.amazonaws.com.cn');
    expect(ssmEndpoint({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:1' })).toBe(
      'http://127.0.0.1:1',
    );
    expect(() => ssmEndpoint({})).toThrow(/AWS_REGION/);
  });
});
