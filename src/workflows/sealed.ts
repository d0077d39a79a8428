/**
 * Tokens the bot hands out and must get back unchanged: a deferred task (src/aws/deferred-seal.ts) and a
 * modal's `private_metadata` (src/slack/render/checklist-modals.ts). HMAC-SHA256 with a key derived
 * (HKDF-SHA256) from the Slack signing secret, one key per purpose, so a token of one kind never passes for
 * another and the signing secret itself never signs anything but Slack's own requests. Compared in constant
 * time. Pure: the secret is passed in (it comes from config, on Lambda from SSM).
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export type SealPurpose = 'deferred-task' | 'modal-metadata';

const keys = new Map<string, Buffer>();

/** The key for one purpose: HKDF(signing secret, info "runbook-bot <purpose> v1"). */
export function sealKey(secret: string, purpose: SealPurpose): Buffer {
  const id = `${purpose}\u0000${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `runbook-bot ${purpose} v1`, 32));
    keys.set(id, key);
  }
  return key;
}

/** A key for a process with no signing secret (Socket Mode): good for tokens this process reads back. */
export function processKey(): string {
  processSecret ??= randomBytes(32).toString('hex');
  return processSecret;
}
let processSecret: string | undefined;

export function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('base64url');
}

/** Constant-time comparison of two MACs (different lengths are simply unequal). */
export function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
