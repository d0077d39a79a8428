/**
 * The SigV4 signer (src/aws/sigv4.ts) against AWS's published Signature Version 4 test-suite vectors
 * (get-vanilla, get-vanilla-query-order-key-case: credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z,
 * us-east-1, service "service"), and against the AWS SDK's own signer for the request the bot sends.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { amzDate, signRequest } from '../../src/aws/sigv4';
import { NodeSha256 } from '../helpers/node-sha256';

const EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const AT = new Date('2015-08-30T12:36:00Z');
const SCOPE = { region: 'us-east-1', service: 'service', now: AT };

describe('signRequest', () => {
  it('matches the test suite: get-vanilla', () => {
    const headers = signRequest(
      { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' },
      EXAMPLE,
      SCOPE,
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.host).toBe('example.amazonaws.com');
  });

  it('matches the test suite: get-vanilla-query-order-key-case (query sorted before signing)', () => {
    const headers = signRequest(
      {
        method: 'GET',
        url: new URL('https://example.amazonaws.com/?Param2=value2&Param1=value1'),
        headers: {},
        body: '',
      },
      EXAMPLE,
      SCOPE,
    );
    expect(headers.authorization).toMatch(
      /Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500$/,
    );
  });

  it('signs GetParameters exactly as the AWS SDK signs it, session token included', async () => {
    const credentials = { ...EXAMPLE, sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' };
    const body = JSON.stringify({ Names: ['/runbook-bot/prod/slack-bot-token'], WithDecryption: true });
    const now = new Date('2026-12-04T10:30:05Z');
    const ours = signRequest(
      {
        method: 'POST',
        url: new URL('https://ssm.eu-west-1.amazonaws.com/'),
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AmazonSSM.GetParameters' },
        body,
      },
      credentials,
      { region: 'eu-west-1', service: 'ssm', now },
    );
    const sdk = await new SignatureV4({
      credentials,
      region: 'eu-west-1',
      service: 'ssm',
      sha256: NodeSha256,
      applyChecksum: false,
    }).sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: 'ssm.eu-west-1.amazonaws.com',
        path: '/',
        query: {},
        headers: {
          host: 'ssm.eu-west-1.amazonaws.com',
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AmazonSSM.GetParameters',
        },
        body,
      },
      { signingDate: now },
    );
    expect(ours.authorization).toBe(sdk.headers.authorization);
    expect(ours['x-amz-security-token']).toBe('FwoGZXIvYXdzEXAMPLETOKEN');
    // A different body is a different signature: the payload is signed.
    const other = signRequest(
      {
        method: 'POST',
        url: new URL('https://ssm.eu-west-1.amazonaws.com/'),
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AmazonSSM.GetParameters' },
        body: body.replace('true', 'false'),
      },
      credentials,
      { region: 'eu-west-1', service: 'ssm', now },
    );
    expect(other.authorization).not.toBe(ours.authorization);
  });

  it('formats x-amz-date without separators or milliseconds', () => {
    expect(amzDate(new Date('2026-01-02T03:04:05.678Z'))).toBe('20260102T030405Z');
  });
});
