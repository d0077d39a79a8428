/**
 * What a reason modal (Skip, Reject, Done anyway) needs back when it is submitted: the run and item, and the
 * channel and person of the click that opened it (a view submission names no channel). It travels in
 * `private_metadata`, which the client could alter, so it is sealed (HMAC, src/workflows/sealed.ts) and
 * bound to the person and workspace that opened it: a submission by anyone else, or with altered
 * metadata, is refused. The run itself is read from the store and authorized again on submission.
 */
import type { Config } from '../config';
import { mac, processKey, sameMac, sealKey } from '../workflows/sealed';

export interface ModalOrigin {
  runId: string;
  itemId: string;
  /** The channel of the click that opened the modal (checked against the run's then). */
  channel: string | null;
  user: string;
  team: string | null;
  enterprise: string | null;
  /** The click came from the person's App Home tab (no channel): checked against the run's invites then. */
  home?: boolean;
  /** The values a select in the modal offered: a submitted value must be one of them (the client's is not). */
  choices?: number[];
}

/** A modal left open longer than this is stale: reopen it from the message. */
export const MODAL_MAX_AGE_MS = 24 * 60 * 60_000;

const keyOf = (config: Pick<Config, 'slack'>) =>
  sealKey(config.slack.signingSecret ?? processKey(), 'modal-metadata');

export function sealModalMetadata(origin: ModalOrigin, config: Pick<Config, 'slack'>, now: Date): string {
  const body = JSON.stringify({ ...origin, issuedAt: now.getTime() });
  return JSON.stringify({ b: body, m: mac(keyOf(config), body) });
}

/** The origin, when the metadata is ours, unaltered, recent, and submitted by the person who opened it. */
export function openModalMetadata(
  raw: string | undefined,
  config: Pick<Config, 'slack'>,
  now: Date,
  submitter: { user: string; team: string | null; enterprise: string | null },
): ModalOrigin | null {
  try {
    const { b, m } = JSON.parse(raw ?? '') as { b?: unknown; m?: unknown };
    if (typeof b !== 'string' || typeof m !== 'string' || !sameMac(m, mac(keyOf(config), b))) return null;
    const o = JSON.parse(b) as ModalOrigin & { issuedAt: number };
    if (now.getTime() - o.issuedAt > MODAL_MAX_AGE_MS) return null;
    if (o.user !== submitter.user || o.team !== submitter.team) return null;
    if ((o.enterprise ?? null) !== (submitter.enterprise ?? null)) return null;
    return {
      runId: o.runId,
      itemId: o.itemId,
      channel: o.channel,
      user: o.user,
      team: o.team,
      enterprise: o.enterprise,
      ...(o.home === true ? { home: true } : {}),
      ...(Array.isArray(o.choices) && o.choices.every(Number.isInteger) ? { choices: o.choices } : {}),
    };
  } catch {
    return null;
  }
}
