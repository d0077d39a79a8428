/**
 * People's names for text read outside Slack's own rendering (stakeholder notices go to channels of people
 * outside engineering, and get copied into e-mails and status pages): `users.info` (scope `users:read`),
 * the display name, else the real name. Cached for ten minutes per app; a lookup that fails gives null,
 * and the caller words the text without a name rather than show an ID.
 */
import type { webApi } from '@slack/bolt';
import { INVISIBLE } from '../runbooks/search/letter-classes';
import type { AppDeps } from './deps';

const TTL_MS = 10 * 60_000;
const caches = new WeakMap<AppDeps, Map<string, { name: string | null; at: number }>>();

export async function displayName(
  deps: AppDeps,
  client: webApi.WebClient,
  userId: string | null | undefined,
): Promise<string | null> {
  if (!userId || !/^[UW][A-Z0-9]{2,}$/.test(userId)) return null;
  let cache = caches.get(deps);
  if (!cache) {
    cache = new Map();
    caches.set(deps, cache);
  }
  const now = deps.now().getTime();
  const hit = cache.get(userId);
  if (hit && now - hit.at < TTL_MS) return hit.name;
  let name: string | null = null;
  try {
    const res = await client.users.info({ user: userId });
    const profile = res.user?.profile;
    // A name is anyone's text: no bidi override or zero-width character reaches a notice (INVISIBLE).
    const raw = profile?.display_name || profile?.real_name || res.user?.real_name || '';
    name = raw.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim() || null;
  } catch (error) {
    deps.logger.info('name not looked up', { user: userId, error });
  }
  cache.set(userId, { name, at: now });
  return name;
}
