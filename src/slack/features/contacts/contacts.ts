/** `/runbook contacts [words]` (ephemeral) and `/runbook escalate [level]` (posted in the channel). */
import { type HeldLease, takeLease } from '../../../store/lease';
import type { AppDeps } from '../../deps';
import type { Feature } from '../../feature';
import { renderContacts, renderEscalation } from '../../render/contacts';
import { sectionUrl } from '../../render/section';
import { searchableText } from '../../router';
import { contactsSubcommand, escalateSubcommand } from './subcommands';

export const contactsFeature: Feature = {
  id: 'contacts',
  subcommands: [
    {
      ...contactsSubcommand,
      run: async ({ args, respond, deps }) => {
        await respond({
          response_type: 'ephemeral',
          ...renderContacts({
            contacts: deps.artifact.contacts,
            filter: args,
            command: deps.config.slashCommand,
            synonyms: deps.artifact.search.synonyms,
            ...(deps.config.slack.userGroups ? { groups: deps.config.slack.userGroups } : {}),
          }),
        });
      },
    },
    {
      ...escalateSubcommand,
      run: async ({ args, respond, deps, command }) => {
        const lease = await escalationLease(deps, command.trigger_id);
        if (lease === null) return;
        const byId = new Map(deps.artifact.sections.map((s) => [s.id, s]));
        const post = () =>
          respond({
            response_type: 'in_channel',
            ...renderEscalation({
              paths: deps.artifact.escalationPaths,
              contacts: deps.artifact.contacts,
              // Read by what the words say, not who they mention (`escalate <@U…> security`), as search does.
              args: searchableText(args),
              command: deps.config.slashCommand,
              postedBy: command.user_id,
              synonyms: deps.artifact.search.synonyms,
              sectionUrl: (id) => {
                const s = byId.get(id);
                return s ? sectionUrl(deps.config.repoUrl, s) : undefined;
              },
            }),
          });
        if (!lease) {
          await post();
          return;
        }
        // Failed → release: nothing was posted, so a redelivery may post it. Done → never again.
        await lease.run(post, 'release');
        await lease.complete().catch((error: unknown) => {
          deps.logger.warn('escalate: command not marked done', { error });
        });
      },
    },
  ],
};

/** Longer than a post takes; Slack redelivers a command it saw no ack for within seconds. */
const ESCALATE_LEASE_MS = 5 * 60_000;

/**
 * The ladder goes in the channel for everyone, so each command posts it once: Slack delivers a command
 * again (`x-slack-retry-num`) when its ack was late, with the same `trigger_id`. Null when another delivery
 * of this command holds or completed the lease; undefined when there is nothing to key on or the store
 * cannot be reached: then it is posted anyway, as a ladder twice is better than none in an incident.
 */
async function escalationLease(
  deps: AppDeps,
  triggerId: string | undefined,
): Promise<HeldLease | null | undefined> {
  if (!triggerId) return undefined;
  try {
    const store = await deps.getStore();
    return await takeLease(store, `escalate:${triggerId}`, ESCALATE_LEASE_MS, deps.now(), triggerId);
  } catch (error) {
    deps.logger.warn('escalate: posted without its once-only lease (store unreachable)', { error });
    return undefined;
  }
}
