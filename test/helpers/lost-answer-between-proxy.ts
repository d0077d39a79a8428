/**
 * Like lost-answer-proxy.ts (a call applied upstream, its answer lost, the AWS SDK retrying it by itself),
 * with `between()` run after the call was applied and before its answer is lost: another writer's change
 * landing in that window.
 */
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LostAnswerBetweenProxy {
  endpoint: string;
  /** The next PutItem whose raw body `match` accepts: applied, then `between()`, then its answer lost. */
  arm(match: (raw: string) => boolean, between: () => Promise<void>): void;
  lost(): number;
  close(): Promise<void>;
}

export async function startLostAnswerBetweenProxy(upstream: string): Promise<LostAnswerBetweenProxy> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  let armed: { match: (raw: string) => boolean; between: () => Promise<void> } | null = null;
  let lost = 0;
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const isPut = String(req.headers['x-amz-target'] ?? '').endsWith('.PutItem');
    const rule = armed !== null && isPut && armed.match(raw) ? armed : null;
    if (rule) armed = null;
    const forward = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        if (rule) {
          lost++;
          up.resume();
          up.on('end', () => {
            void rule
              .between()
              .catch(() => undefined)
              .finally(() => req.socket.destroy());
          });
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
    arm: (match, between) => {
      armed = { match, between };
    },
    lost: () => lost,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
