/**
 * A DynamoDB endpoint in front of dynalite that forwards every call and, for calls a rule picks, lets the
 * call be applied upstream and then loses its answer (the connection is destroyed after dynalite answered):
 * what a time-out or a connection reset after the write looks like to the AWS SDK, which then retries the
 * same request by itself (helper-188).
 */
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LostAnswerProxy {
  endpoint: string;
  /** Lose the answer of the next `times` calls of `operation` whose raw JSON body `match` accepts. */
  arm(operation: string, match: (raw: string) => boolean, times?: number): void;
  /** How many answers were lost so far. */
  lost(): number;
  close(): Promise<void>;
}

/** A run replacement (src/store/dynamo.ts `putRun`: the conditional write on the run's version). */
export const isRunReplacement = (raw: string) => raw.includes('#version = :expected');

export async function startLostAnswerProxy(upstream: string): Promise<LostAnswerProxy> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  let rule: { operation: string; match: (raw: string) => boolean; left: number } | null = null;
  let lost = 0;
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1];
    const hit = rule !== null && rule.left > 0 && rule.operation === operation && rule.match(raw);
    if (hit && rule) rule.left--;
    const forward = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        if (hit) {
          lost++;
          up.resume();
          up.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', () => req.socket.destroy());
    forward.end(raw);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arm: (operation, match, times = 1) => {
      rule = { operation, match, left: times };
    },
    lost: () => lost,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
