/**
 * A `response_url` whose first post hangs `holdMs` and then fails (500, as Slack answers when it is
 * overloaded); every later post is accepted and recorded in `posts`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function flakyResponseUrl(
  holdMs: number,
): Promise<{ url: string; posts: Record<string, unknown>[]; close: () => void }> {
  const posts: Record<string, unknown>[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const first = n++ === 0;
      if (first) {
        setTimeout(() => res.writeHead(500).end('internal_error'), holdMs);
        return;
      }
      try {
        posts.push(JSON.parse(raw));
      } catch {
        posts.push({ raw });
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/response/flaky`, posts, close: () => server.close() };
}
