/**
 * A tiny authoritative DNS server on loopback UDP, for tests that ask name servers directly (node:dns
 * `Resolver` with `setServers`): answers A, TXT and NS from a map it can be given at any time, NXDOMAIN for
 * names it does not know, and nothing at all while `silent` (a server that is down). Close it after use.
 */
import { createSocket, type Socket } from 'node:dgram';

export interface DnsZoneData {
  A?: string[];
  TXT?: string[];
  NS?: string[];
}

export interface TestDnsServer {
  /** `127.0.0.1:PORT`, as `Resolver.setServers` takes it. */
  address: string;
  records: Map<string, DnsZoneData>;
  silent: boolean;
  queries: { name: string; type: number }[];
  close(): Promise<void>;
}

const TYPES = { A: 1, NS: 2, TXT: 16 } as const;

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([
    ...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p)])),
    Buffer.from([0]),
  ]);
}

function readQuestion(msg: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let i = 12;
  while (msg[i] !== 0) {
    const len = msg[i]!;
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += len + 1;
  }
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(i + 1), end: i + 5 };
}

function rdata(type: number, value: string): Buffer {
  if (type === TYPES.A) return Buffer.from(value.split('.').map(Number));
  if (type === TYPES.TXT) return Buffer.concat([Buffer.from([Buffer.byteLength(value)]), Buffer.from(value)]);
  return encodeName(value);
}

function answer(msg: Buffer, records: Map<string, DnsZoneData>): Buffer {
  const q = readQuestion(msg);
  const data = records.get(q.name);
  const key = (Object.keys(TYPES) as (keyof typeof TYPES)[]).find((k) => TYPES[k] === q.type);
  const values = (key && data?.[key]) || [];
  const header = Buffer.alloc(12);
  msg.copy(header, 0, 0, 2); // id
  const rd = msg[2]! & 0x01;
  header[2] = 0x80 | 0x04 | rd; // QR, AA, RD as asked
  header[3] = data ? 0 : 3; // NOERROR, or NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(values.length, 6);
  const question = msg.subarray(12, q.end);
  const rrs = values.map((v) => {
    const body = rdata(q.type, v);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // name: pointer to the question
    rr.writeUInt16BE(q.type, 2);
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(body.length, 10);
    return Buffer.concat([rr, body]);
  });
  return Buffer.concat([header, question, ...rrs]);
}

export async function startDnsServer(records: Record<string, DnsZoneData> = {}): Promise<TestDnsServer> {
  const socket: Socket = createSocket('udp4');
  const server: TestDnsServer = {
    address: '',
    records: new Map(Object.entries(records).map(([k, v]) => [k.toLowerCase(), v])),
    silent: false,
    queries: [],
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (msg, rinfo) => {
    const q = readQuestion(msg);
    server.queries.push({ name: q.name, type: q.type });
    if (server.silent) return;
    socket.send(answer(msg, server.records), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  server.address = `127.0.0.1:${socket.address().port}`;
  return server;
}
