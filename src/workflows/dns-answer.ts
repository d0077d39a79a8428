/**
 * Which region an answer of the zone's authoritative name servers belongs to (the runbook's `dns=` table):
 * an alias A/AAAA answer carries the target's addresses, so it means a region when it shares an address
 * with that region's Answer host as resolved at the same time; a CNAME, TXT or literal answer means a
 * region when it equals its Answer. Each server is judged on its own, since they may briefly disagree
 * while Route 53 propagates a health change. Pure.
 */
import type { DnsCheck } from '../runbooks/model/model';

export interface DnsServerAnswer {
  /** The name server asked (its name, as the runbook gives it). */
  server: string;
  /** The answer's values (addresses, names, texts); null when the server did not answer. */
  values: string[] | null;
  error: string | null;
}

export interface DnsCandidate {
  region: string;
  /** The Answer host's addresses (for A/AAAA), or null when it could not be resolved. */
  addresses: string[] | null;
}

export interface DnsReading {
  check: DnsCheck;
  servers: DnsServerAnswer[];
  candidates: DnsCandidate[];
}

export interface DnsVerdict {
  /** The region every answering server agrees on; null when none answered or they could not be told apart. */
  region: string | null;
  /** Servers disagree (some answer one region, some another): Route 53 is still propagating. */
  mixed: boolean;
  perServer: { server: string; region: string | null; values: string[] | null; error: string | null }[];
  summary: string;
}

const norm = (v: string) => v.trim().replace(/^"|"$/g, '').replace(/\.$/, '').toLowerCase();

export function dnsVerdict(reading: DnsReading): DnsVerdict {
  const { check } = reading;
  const byAddress = check.type === 'A' || check.type === 'AAAA';
  const regionOf = (values: string[]): string | null => {
    const got = new Set(values.map(norm));
    const hits = check.answers.filter((a) => {
      if (got.has(norm(a.match))) return true;
      if (!byAddress) return false;
      const addresses = reading.candidates.find((c) => c.region === a.region)?.addresses ?? [];
      return addresses.some((addr) => got.has(norm(addr)));
    });
    // An answer that matches two regions tells nothing.
    return hits.length === 1 ? hits[0]!.region : null;
  };
  const perServer = reading.servers.map((s) => ({
    server: s.server,
    region: s.values && s.values.length > 0 ? regionOf(s.values) : null,
    values: s.values,
    error: s.error,
  }));
  const answered = perServer.filter((p) => p.values && p.values.length > 0);
  const regions = [...new Set(answered.map((p) => p.region))];
  const known = regions.filter((r): r is string => r !== null);
  const mixed = known.length > 1;
  const region = !mixed && known.length === 1 && !regions.includes(null) ? known[0]! : null;
  let summary: string;
  if (answered.length === 0) {
    const why = perServer.map((p) => p.error).find((e) => e) ?? 'no answer';
    summary = `No authoritative name server answered for ${check.name} ${check.type} (${why}).`;
  } else if (mixed) {
    summary = `The name servers disagree: ${describe(perServer)}. Route 53 is still propagating; ask again in a minute.`;
  } else if (region) {
    summary = `${answered.length} of ${perServer.length} authoritative name servers answer ${region}'s target for ${check.name}.`;
  } else {
    // Quote the answers that match no region (with several servers, one may match and another not).
    const stray = answered.filter((p) => p.region === null);
    const quoted = [...new Set(stray.flatMap((p) => p.values ?? []))].join(', ');
    summary =
      known.length > 0
        ? `The name servers disagree: ${describe(perServer)}; ${quoted} matches no region of the DNS table.`
        : `The answer for ${check.name} (${quoted}) matches no region of the DNS table (the targets could not be resolved, or changed).`;
  }
  return { region, mixed, perServer, summary };
}

function describe(perServer: DnsVerdict['perServer']): string {
  return perServer.map((p) => `${p.server} → ${p.region ?? (p.values ? 'unknown' : 'no answer')}`).join(', ');
}
