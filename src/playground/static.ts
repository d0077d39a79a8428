/** The page's files, served from src/playground/public/ by name (a fixed list: no path from the URL). */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';

export const PUBLIC_DIR = join(__dirname, 'public');

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/blockkit.js': { file: 'blockkit.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

// The page runs only its own scripts; images in Block Kit may come from https.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function isStaticPath(pathname: string): boolean {
  return Object.hasOwn(FILES, pathname);
}

export async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
  const entry = FILES[pathname];
  if (!entry) {
    res.writeHead(404).end();
    return;
  }
  const body = await readFile(join(PUBLIC_DIR, entry.file));
  res.writeHead(200, {
    'content-type': entry.type,
    'cache-control': 'no-cache',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}
