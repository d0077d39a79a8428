/**
 * Channel and user group ids rendered into mrkdwn, and bot-written text that keeps its mentions (see
 * ./escape.ts `mentionUser`): a mention only for an id of the right shape, anything else as escaped text.
 */
import { escapeMrkdwn } from './escape';

export { escapeKeepingMentions, mentionUser } from './escape';

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
const USER_GROUP_ID = /^S[A-Z0-9]{2,}$/;

/** `<#C…>` for a channel id (public, private or DM), anything else as escaped text. */
export function mentionChannel(id: string | null | undefined): string {
  if (!id) return 'a channel';
  return CHANNEL_ID.test(id) ? `<#${id}>` : escapeMrkdwn(id);
}

/** `<!subteam^S…>` for a user group id, anything else as escaped text. */
export function mentionUserGroup(id: string): string {
  return USER_GROUP_ID.test(id) ? `<!subteam^${id}>` : escapeMrkdwn(id);
}
