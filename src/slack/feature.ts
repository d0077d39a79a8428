/**
 * How a feature plugs into the `/runbook` command and the Bolt app. Features live in
 * src/slack/features/ and are listed once in src/slack/features/index.ts.
 *
 * Routing of `/runbook <text>` (src/slack/router.ts): the longest subcommand name that starts the text
 * (whole words, case-insensitive), then each feature's `claimText`, then search.
 */
import type { App, RespondFn, SlashCommand, webApi } from '@slack/bolt';
import type { AppDeps } from './deps';

export interface CommandContext {
  /**
   * Text after the subcommand word(s); the whole text for claimed text and search. As typed, except that
   * whitespace runs are collapsed and Slack's `&amp;`/`&lt;`/`&gt;` decoded: escape it before echoing.
   */
  args: string;
  /** The full text the user typed after `/runbook`, normalised the same way. */
  text: string;
  command: SlashCommand;
  /** Replies through the command's `response_url`: ephemeral unless `response_type: 'in_channel'`. */
  respond: RespondFn;
  client: webApi.WebClient;
  deps: AppDeps;
}

export interface Subcommand {
  /** One or more names; a name may have several words (`drill failover`). Matched case-insensitively. */
  names: string[];
  /** Shown by `/runbook help`, e.g. `contacts [words]`. */
  usage: string;
  summary: string;
  /**
   * Its first reply goes in the ack's body (src/slack/command-reply.ts): only for a subcommand that answers
   * from memory at once, never one that waits on the store, AWS or Slack before replying.
   */
  answersInAck?: boolean;
  run(ctx: CommandContext): Promise<void>;
}

/**
 * A subcommand as help and routing show it, before its feature is loaded: a lazy feature's manifest and the
 * feature itself both read it from the feature's `subcommands.ts`, so names, usage and summary are written once.
 */
export type SubcommandInfo = Omit<Subcommand, 'run'>;

export type CommandRunner = (ctx: CommandContext) => Promise<void>;

export interface Feature {
  id: string;
  subcommands?: Subcommand[];
  /** Claim free text before search (e.g. checklists take `failover`, `promote dev sit`); null to pass. */
  claimText?(text: string, deps: AppDeps): CommandRunner | null;
  /** Register actions, views, shortcuts, events. Handlers must ack() first and reply with a next step. */
  register?(app: App, deps: AppDeps): void;
}
