/**
 * A loopback stand-in for Lambda's `Invoke` API (`POST /2015-03-31/functions/<name>/invocations`), enough
 * for `InvocationType: Event`: it answers 202 and keeps each event, as Lambda's async queue would, so a test
 * (or the benchmark) delivers them to the handler itself, when and as often as it wants.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeLambda {
  /** `http://127.0.0.1:<port>`: the `lambda` endpoint of the AWS client settings. */
  endpoint: string;
  /** Events queued and not yet taken. */
  queued: unknown[];
  /** Every event ever queued, in order. */
  all: unknown[];
  close(): Promise<void>;
}

export async function startFakeLambda(
  opts: {
    /** Queue each event at once but answer its Invoke this much later (a slow Lambda API). */
    answerDelayMs?: () => number;
  } = {},
): Promise<FakeLambda> {
  const queued: unknown[] = [];
  const all: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !/^\/2015-03-31\/functions\/[^/]+\/invocations/.test(req.url ?? '')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
        return;
      }
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      queued.push(event);
      all.push(event);
      const delay = opts.answerDelayMs?.() ?? 0;
      const answer = () => {
        if (!res.destroyed) res.writeHead(202, { 'content-type': 'application/json' }).end('');
      };
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    queued,
    all,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
