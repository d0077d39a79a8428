/**
 * The lazy entry to everything AWS. `deps.getAws()` imports this module dynamically, so the SDK loads only
 * when a feature needs AWS (status, checklist evidence/actions, alarms), never on the `/runbook <search>`
 * path. Chooses the simulated gateway when AWS_SIMULATION is set.
 */
import type { AwsConfig } from '../config';
import type { FailoverRecord } from '../runbooks/model/model';
import { type AwsClientSettings, createAwsClients, DEFAULT_CLIENT_SETTINGS } from './clients';
import { type AwsGateway, createLiveGateway } from './gateway';
import { createSimulatedGateway, type FailoverDeclarations, loadScenario } from './simulated';

export type { AwsGateway } from './gateway';

export interface AwsRuntimeOptions {
  config: AwsConfig;
  /** Every record set the runbooks declare; the simulated gateway builds its DNS from them. */
  records: FailoverRecord[];
  /** The runbooks' switch, DNS and warm-up tables (`declaredFailover`), for the simulated failover switch. */
  failover?: FailoverDeclarations;
  clientSettings?: Partial<AwsClientSettings>;
  now?: () => Date;
}

export function createGateway(options: AwsRuntimeOptions): AwsGateway {
  const { config } = options;
  if (config.simulation) {
    return createSimulatedGateway(loadScenario(config.simulation), {
      records: options.records,
      ...(options.failover ? { failover: options.failover } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }
  const clients = createAwsClients({ ...DEFAULT_CLIENT_SETTINGS, ...options.clientSettings });
  return createLiveGateway(clients, { callTimeoutMs: config.callTimeoutMs });
}
