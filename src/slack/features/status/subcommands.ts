/** The status feature's subcommand as help and routing show it: read by its manifest and by the feature. */
import type { SubcommandInfo } from '../../feature';

export const statusSubcommand: SubcommandInfo = {
  names: ['status'],
  usage: 'status',
  summary:
    'Route 53 health checks, the answering failover record, CloudWatch alarms and key metrics per region',
};
