/**
 * Payload factories in the shapes Slack sends (see /work/shared/slack-platform.md "Payloads"), for
 * tests that drive the bot through its real receivers.
 */
export const TEST_TEAM = 'T0TEST';
export const TEST_USER = 'U0ALICE';
export const TEST_CHANNEL = 'C0INCIDENT';

let seq = 0;
export function triggerId(): string {
  seq += 1;
  return `${1000 + seq}.${Date.now()}.fake${seq}`;
}

export interface SlashCommandFields {
  text: string;
  command?: string;
  user?: string;
  userName?: string;
  channel?: string;
  channelName?: string;
  responseUrl: string;
  triggerId?: string;
}

export function slashCommandFields(f: SlashCommandFields): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: TEST_TEAM,
    team_domain: 'test-team',
    channel_id: f.channel ?? TEST_CHANNEL,
    channel_name: f.channelName ?? 'incident',
    user_id: f.user ?? TEST_USER,
    user_name: f.userName ?? 'alice',
    command: f.command ?? '/runbook',
    text: f.text,
    api_app_id: 'A0RUNBOOK',
    is_enterprise_install: 'false',
    response_url: f.responseUrl,
    trigger_id: f.triggerId ?? triggerId(),
  };
}

export interface BlockActionFields {
  actionId: string;
  value?: string;
  blockId?: string;
  user?: string;
  channel?: string;
  /** The message the button sits on. */
  messageTs?: string;
  /** Ephemeral messages carry no `message` in the payload. */
  ephemeral?: boolean;
  responseUrl: string;
  triggerId?: string;
  /** The source message's blocks (non-ephemeral only). */
  blocks?: unknown[];
  state?: Record<string, Record<string, unknown>>;
  /** The workspace Slack says the click came from (default TEST_TEAM); for another workspace's click. */
  team?: string;
  /** Enterprise Grid org of the click (default none). */
  enterprise?: string | null;
  /** The click's `action_ts` in seconds (default now): tests with a moving clock pass theirs. */
  actionTs?: number;
}

export function blockActionPayload(f: BlockActionFields): Record<string, unknown> {
  const user = f.user ?? TEST_USER;
  const channel = f.channel ?? TEST_CHANNEL;
  const messageTs = f.messageTs ?? '1700000000.000100';
  const team = f.team ?? TEST_TEAM;
  const enterprise = f.enterprise ? { id: f.enterprise, name: 'Grid' } : null;
  return {
    type: 'block_actions',
    user: { id: user, username: 'alice', name: 'alice', team_id: team },
    api_app_id: 'A0RUNBOOK',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: channel,
      is_ephemeral: f.ephemeral ?? false,
    },
    trigger_id: f.triggerId ?? triggerId(),
    team: { id: team, domain: 'test-team' },
    enterprise,
    is_enterprise_install: false,
    channel: { id: channel, name: 'incident' },
    ...(f.ephemeral ? {} : { message: { type: 'message', ts: messageTs, text: '', blocks: f.blocks ?? [] } }),
    state: { values: f.state ?? {} },
    response_url: f.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: f.actionId,
        block_id: f.blockId ?? 'b1',
        text: { type: 'plain_text', text: 'Button', emoji: true },
        ...(f.value !== undefined ? { value: f.value } : {}),
        action_ts: `${f.actionTs ?? Date.now() / 1000}`,
      },
    ],
  };
}

export interface ViewSubmissionFields {
  callbackId: string;
  values: Record<string, Record<string, unknown>>;
  privateMetadata?: string;
  user?: string;
  viewId?: string;
  team?: string;
}

export function viewSubmissionPayload(f: ViewSubmissionFields): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: f.team ?? TEST_TEAM, domain: 'test-team' },
    user: { id: f.user ?? TEST_USER, username: 'alice', name: 'alice', team_id: f.team ?? TEST_TEAM },
    api_app_id: 'A0RUNBOOK',
    token: 'legacy-verification-token',
    trigger_id: triggerId(),
    view: {
      id: f.viewId ?? 'V0TEST',
      team_id: TEST_TEAM,
      type: 'modal',
      callback_id: f.callbackId,
      private_metadata: f.privateMetadata ?? '',
      state: { values: f.values },
      hash: 'h',
      blocks: [],
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}
