/**
 * The DNS evidence over real DNS: node's resolver asks loopback name servers directly (one answering as
 * Route 53's would, one down), and the answer is mapped to a region as the failover verdict does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNameServers, queryAuthoritative, resolveHost } from '../../src/aws/dns-answer';
import { dnsVerdict } from '../../src/workflows/dns-answer';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';
import { AF_ADDRESSES, DNS_CHECK, EU_ADDRESSES } from '../workflows/switch-fixtures';

let authoritative: TestDnsServer;
let down: TestDnsServer;
let system: TestDnsServer;

beforeAll(async () => {
  authoritative = await startDnsServer({ 'api.sitecraft.example': { A: EU_ADDRESSES, TXT: ['eu-west-1'] } });
  down = await startDnsServer();
  down.silent = true;
  system = await startDnsServer({
    'd-af.execute-api.af-south-1.amazonaws.com': { A: AF_ADDRESSES },
    'd-eu.execute-api.eu-west-1.amazonaws.com': { A: EU_ADDRESSES },
    'sitecraft.example': { NS: ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.net'] },
  });
});

afterAll(async () => {
  await Promise.all([authoritative.close(), down.close(), system.close()]);
});

const options = () => ({ timeoutMs: 200, tries: 1, systemServers: [system.address] });

describe('asking the authoritative name servers', () => {
  it('asks each server itself, reports the one that is down, and maps the answer to eu-west-1', async () => {
    const servers = await queryAuthoritative(
      { name: 'api.sitecraft.example', type: 'A', nameServers: [authoritative.address, down.address] },
      options(),
    );
    const candidates = await Promise.all(
      DNS_CHECK.answers.map(async (a) => ({
        region: a.region,
        addresses: await resolveHost(a.match, 'A', options()),
      })),
    );

    expect(servers).toEqual([
      { server: authoritative.address, values: EU_ADDRESSES, error: null },
      { server: down.address, values: null, error: 'ETIMEOUT' },
    ]);
    expect(authoritative.queries).toContainEqual({ name: 'api.sitecraft.example', type: 1 });
    expect(dnsVerdict({ check: DNS_CHECK, servers, candidates })).toMatchObject({
      region: 'eu-west-1',
      summary: "1 of 2 authoritative name servers answer eu-west-1's target for api.sitecraft.example.",
    });
  });

  it('reads TXT answers and finds the zone’s name servers when the runbook gives none', async () => {
    const txt = await queryAuthoritative(
      { name: 'api.sitecraft.example', type: 'TXT', nameServers: [authoritative.address] },
      options(),
    );

    expect(txt[0]?.values).toEqual(['eu-west-1']);
    expect(await findNameServers('api.sitecraft.example', options())).toEqual([
      'ns-1.awsdns-01.org',
      'ns-2.awsdns-02.net',
    ]);
  });

  it('says when a name does not exist', async () => {
    await expect(resolveHost('nothing.example', 'A', options())).rejects.toMatchObject({
      operation: { service: 'DNS' },
      code: 'ENOTFOUND',
    });
  });
});
