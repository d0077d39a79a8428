/** `/runbook contacts [words]` (ephemeral) and `/runbook escalate [level]` (posted in the channel). */
import type { Feature } from '../feature';
import { renderContacts, renderEscalation } from '../render/contacts';
import { sectionUrl } from '../render/section';

export const contactsFeature: Feature = {
  id: 'contacts',
  subcommands: [
    {
      names: ['contacts', 'contact', 'who', 'oncall', 'on-call'],
      usage: 'contacts [role or level]',
      summary: 'Escalation contacts from the runbooks (only you see them).',
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
      names: ['escalate', 'escalation'],
      usage: 'escalate [issue] [level]',
      summary:
        'Post the escalation path in this channel: the ladder, or one issue’s path (e.g. `escalate L2`, `escalate authentication`).',
      run: async ({ args, respond, deps, command }) => {
        const byId = new Map(deps.artifact.sections.map((s) => [s.id, s]));
        await respond({
          response_type: 'in_channel',
          ...renderEscalation({
            paths: deps.artifact.escalationPaths,
            contacts: deps.artifact.contacts,
            args,
            command: deps.config.slashCommand,
            postedBy: command.user_id,
            sectionUrl: (id) => {
              const s = byId.get(id);
              return s ? sectionUrl(deps.config.repoUrl, s) : undefined;
            },
          }),
        });
      },
    },
  ],
};
