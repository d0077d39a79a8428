/** The diagnose feature's subcommand as help and routing show it: read by its manifest and by the feature. */
import type { SubcommandInfo } from '../../feature';

export const diagnoseSubcommand: SubcommandInfo = {
  names: ['diagnose', 'diag', 'troubleshoot'],
  usage: 'diagnose [words]',
  summary: 'Walk a troubleshooting decision tree with buttons (e.g. `diagnose login`).',
};
