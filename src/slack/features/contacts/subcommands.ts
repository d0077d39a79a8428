/** The contacts feature's subcommands as help and routing show them: read by its manifest and by the feature. */
import type { SubcommandInfo } from '../../feature';

export const contactsSubcommand: SubcommandInfo = {
  names: ['contacts', 'contact', 'who', 'oncall', 'on-call'],
  usage: 'contacts [role or level]',
  // Answered from the artifact at once: in the ack's body (src/slack/command-reply.ts).
  answersInAck: true,
  summary: 'Escalation contacts from the runbooks (only you see them).',
};

export const escalateSubcommand: SubcommandInfo = {
  names: ['escalate', 'escalation'],
  usage: 'escalate [issue] [level]',
  summary:
    'Post the escalation path in this channel: the ladder, or one issue’s path (e.g. `escalate L2`, `escalate authentication`, `escalate security`).',
};
