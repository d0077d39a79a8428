/**
 * Which record Route 53 really answers, asked of the zone's authoritative name servers themselves over DNS
 * (Route 53's data plane, which keeps answering when its API in us-east-1 does not), one server at a time
 * with a short timeout. `TestDNSAnswer` would be a control-plane simulation; a recursive resolver would
 * answer from its cache. The alias targets' own addresses are looked up through the system resolver, to
 * tell which region an answer belongs to (src/workflows/dns-answer.ts).
 */
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AwsCallError, type AwsOperation, classifyAwsError } from './errors';
import type { DnsServerAnswer } from './types';

export const DNS_QUERY: AwsOperation = { service: 'DNS', action: 'Query', iamAction: 'none (DNS query)' };

export interface DnsOptions {
  /** Per query attempt. */
  timeoutMs?: number;
  tries?: number;
  /** Servers for the lookups that are not authoritative (tests; default: the system's). */
  systemServers?: string[];
}

const DEFAULTS = { timeoutMs: 2_000, tries: 2 };

function resolver(options: DnsOptions, servers?: string[]): Resolver {
  const r = new Resolver({
    timeout: options.timeoutMs ?? DEFAULTS.timeoutMs,
    tries: options.tries ?? DEFAULTS.tries,
  });
  const use = servers ?? options.systemServers;
  if (use) r.setServers(use);
  return r;
}

async function query(r: Resolver, name: string, type: string): Promise<string[]> {
  switch (type) {
    case 'A':
      return r.resolve4(name);
    case 'AAAA':
      return r.resolve6(name);
    case 'CNAME':
      return r.resolveCname(name);
    case 'TXT':
      return (await r.resolveTxt(name)).map((parts) => parts.join(''));
    default:
      throw new AwsCallError(
        DNS_QUERY,
        'invalid-request',
        'BadType',
        `DNS record type ${type} is not supported.`,
      );
  }
}

/** `192.0.2.1`, `192.0.2.1:5353`, `2001:db8::1`, `[2001:db8::1]:5353`: used as they are. */
function isAddress(server: string): boolean {
  return (
    isIP(server) !== 0 ||
    /^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(server) ||
    /^\[[0-9a-f:]+\](:\d+)?$/i.test(server)
  );
}

function failure(error: unknown): string {
  return classifyAwsError(DNS_QUERY, error).code;
}

/** Addresses of a host through the system resolver (or an address literal as it is). */
export async function resolveHost(
  host: string,
  type: 'A' | 'AAAA' = 'A',
  options: DnsOptions = {},
): Promise<string[]> {
  if (isIP(host)) return [host];
  try {
    return await query(resolver(options), host, type);
  } catch (error) {
    throw classifyAwsError(DNS_QUERY, error);
  }
}

/** The zone's name servers, from the nearest enclosing NS records (when the runbook names none). */
export async function findNameServers(name: string, options: DnsOptions = {}): Promise<string[]> {
  const labels = name.replace(/\.$/, '').split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    try {
      const ns = await resolver(options).resolveNs(labels.slice(i).join('.'));
      if (ns.length > 0) return ns;
    } catch {
      // No NS at this label: look one level up.
    }
  }
  throw new AwsCallError(DNS_QUERY, 'not-found', 'NoNameServers', `No name servers found for ${name}.`);
}

/**
 * Asks each authoritative server directly for `name` `type`. A server that does not answer is reported
 * with its error; the others still count.
 */
export async function queryAuthoritative(
  input: { name: string; type: string; nameServers: string[] },
  options: DnsOptions = {},
): Promise<DnsServerAnswer[]> {
  const servers =
    input.nameServers.length > 0 ? input.nameServers : await findNameServers(input.name, options);
  return Promise.all(
    servers.map(async (server): Promise<DnsServerAnswer> => {
      let addresses: string[];
      try {
        addresses = isAddress(server) ? [server] : await resolveHost(server, 'A', options);
      } catch (error) {
        return { server, values: null, error: `name server unresolvable (${failure(error)})` };
      }
      try {
        return {
          server,
          values: await query(resolver(options, addresses), input.name, input.type),
          error: null,
        };
      } catch (error) {
        return { server, values: null, error: failure(error) };
      }
    }),
  );
}
