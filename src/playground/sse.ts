/** Server-Sent Events to every open playground page. */
import type { IncomingMessage, ServerResponse } from 'node:http';

const KEEP_ALIVE_MS = 15_000;

export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly keepAlive: NodeJS.Timeout;

  constructor() {
    // A comment line now and then keeps proxies and the browser from timing the stream out.
    this.keepAlive = setInterval(() => this.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.keepAlive.unref();
  }

  /** Start a stream; `first` is sent before anything else (the snapshot). */
  open(req: IncomingMessage, res: ServerResponse, first: { event: string; data: unknown }): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(frame(first.event, first.data));
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  send(event: string, data: unknown): void {
    this.write(frame(event, data));
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.keepAlive);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private write(chunk: string): void {
    for (const res of this.clients) res.write(chunk);
  }
}

function frame(event: string, data: unknown): string {
  // JSON never contains a raw newline, so one `data:` line carries it.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
