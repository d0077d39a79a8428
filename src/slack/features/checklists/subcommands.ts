/** The checklists feature's subcommands as help and routing show them: read by its manifest and by the feature. */
import type { SubcommandInfo } from '../../feature';

export const drillSubcommand: SubcommandInfo = {
  names: ['drill'],
  usage: 'drill <checklist>',
  summary: 'Practise a checklist: the same flow, marked DRILL, never executing live actions.',
};

export const checklistsSubcommand: SubcommandInfo = {
  names: ['checklists'],
  usage: 'checklists',
  summary: 'The guided checklists you can start here (failover, promotions, deploy, rollback…).',
};
