/**
 * A fault-injecting DynamoDB endpoint: an HTTP proxy in front of dynalite that forwards every call, except
 * those a rule picks (by `X-Amz-Target` operation and, optionally, by the request body), which it throttles
 * (HTTP 400 ThrottlingException, as DynamoDB does), fails (HTTP 500 InternalServerError), drops (the
 * connection is destroyed before any answer) or delays. It counts calls per operation. The store under test
 * is the real DynamoDB adapter speaking the real protocol through it.
 */
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultKind = 'throttle' | 'error500' | 'drop' | 'delay';

export interface FaultRule {
  /** DynamoDB operation: `PutItem`, `GetItem`, `Query`, ..., or `*` for every one. */
  operation: string;
  kind: FaultKind;
  /** How many matching calls to fault (default: all). */
  times?: number;
  /** For `delay`. */
  delayMs?: number;
  /** Only calls whose JSON body this accepts (e.g. a PutItem of an event item). */
  match?: (body: Record<string, unknown>) => boolean;
}

export interface FaultProxy {
  endpoint: string;
  /** Calls per operation that reached the proxy (faulted or not). */
  counts: Record<string, number>;
  /** Calls per operation that a rule faulted. */
  faulted: Record<string, number>;
  add(rule: FaultRule): void;
  clear(): void;
  close(): Promise<void>;
}

/** A PutItem of one of a run's events (`sk` = `EVT#...`), as src/store/dynamo.ts writes them. */
export const isEventPut = (body: Record<string, unknown>) =>
  String((body['Item'] as { sk?: { S?: string } } | undefined)?.sk?.S ?? '').startsWith('EVT#');

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const rules: (FaultRule & { used: number })[] = [];
  const counts: Record<string, number> = {};
  const faulted: Record<string, number> = {};
  const sockets = new Set<Socket>();

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    counts[operation] = (counts[operation] ?? 0) + 1;
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {
      // forwarded as it is
    }
    const rule = rules.find(
      (r) =>
        (r.operation === operation || r.operation === '*') &&
        r.used < (r.times ?? Number.POSITIVE_INFINITY) &&
        (r.match?.(body) ?? true),
    );
    if (rule) {
      rule.used += 1;
      if (rule.kind !== 'delay') faulted[operation] = (faulted[operation] ?? 0) + 1;
      if (rule.kind === 'throttle') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
            message: 'Rate exceeded',
          }),
        );
        return;
      }
      if (rule.kind === 'error500') {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
            message: 'Internal error',
          }),
        );
        return;
      }
      if (rule.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, rule.delayMs ?? 0));
    }
    const forward = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forward.on('error', () => req.socket.destroy());
    forward.end(raw);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    faulted,
    add: (rule) => rules.push({ ...rule, used: 0 }),
    clear: () => {
      rules.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
