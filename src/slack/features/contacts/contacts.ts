/** `/runbook contacts [words]` (ephemeral) and `/runbook escalate [level]` (posted in the channel). */
import type { Feature } from '../../feature';
import { postOnce } from '../../post-once';
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
      run: async ({ args, deps, command }) => {
        const byId = new Map(deps.artifact.sections.map((s) => [s.id, s]));
        const message = renderEscalation({
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
        });
        // The ladder goes in the channel for everyone, so each command posts it once: Slack delivers a
        // command again (`x-slack-retry-num`) when its ack was late, with the same trigger_id (post-once.ts).
        const triggerId = command.trigger_id || undefined;
        await postOnce(
          deps,
          {
            key: triggerId && `escalate:${triggerId}`,
            holder: triggerId,
            what: 'escalate',
            responseUrl: command.response_url,
          },
          message,
        );
      },
    },
  ],
};
