/**
 * AWS for the playground: simulated (src/aws/simulated.ts), with a scenario the page can switch at any time,
 * unless live AWS was asked for explicitly with PLAYGROUND_LIVE_AWS=1 (and no AWS_SIMULATION): credentials
 * that happen to be in the environment never make the playground live. Switching a scenario starts it
 * afresh (DNS back to its initial records), as a new rehearsal would.
 */

import type { AwsGateway } from '../aws/gateway';
import { lazyAws } from '../aws/lazy';
import { declaredFailover, declaredRecords } from '../aws/records';
import { BUILT_IN_SCENARIOS, createSimulatedGateway, loadScenario, type Scenario } from '../aws/simulated';
import type { Config } from '../config';
import type { Artifact } from '../runbooks/model/model';

/** The rehearsal a newcomer most likely wants: the primary region is down. */
export const DEFAULT_SCENARIO = 'primary-down';

export interface AwsStatus {
  simulated: boolean;
  scenario: string | null;
  scenarios: { id: string; label: string; description: string }[];
}

export interface PlaygroundAws {
  getAws(): Promise<AwsGateway>;
  status(): AwsStatus;
  /** Throws when AWS is live or the scenario is unknown. */
  setScenario(id: string): void;
}

export class UnknownScenarioError extends Error {
  override readonly name = 'UnknownScenarioError';
}

export function createPlaygroundAws(
  config: Config,
  artifact: Artifact,
  initialScenario?: string,
): PlaygroundAws {
  const simulate = !config.playgroundLiveAws || Boolean(initialScenario ?? config.aws.simulation);
  if (!simulate) {
    const getAws = lazyAws(() => ({
      config: config.aws,
      records: declaredRecords(artifact),
      failover: declaredFailover(artifact),
    }));
    return {
      getAws,
      status: () => ({ simulated: false, scenario: null, scenarios: [] }),
      setScenario: () => {
        throw new UnknownScenarioError('AWS is live in this playground: there is no scenario to switch');
      },
    };
  }

  const scenarios = new Map<string, Scenario>(Object.entries(BUILT_IN_SCENARIOS));
  const startWith = initialScenario ?? config.aws.simulation ?? DEFAULT_SCENARIO;
  // A scenario file given by path joins the built-in ones under its own name.
  const first = loadScenario(startWith);
  const firstId = scenarios.has(startWith) ? startWith : first.name;
  scenarios.set(firstId, first);

  const records = declaredRecords(artifact);
  // The runbook's switch, DNS and warm-up tables: the simulated switch, DNS answer and warm-up follow them.
  const failover = declaredFailover(artifact);
  let current = firstId;
  let gateway = createSimulatedGateway(first, { records, failover });

  return {
    getAws: async () => gateway,
    status: () => ({
      simulated: true,
      scenario: current,
      scenarios: [...scenarios].map(([id, s]) => ({
        id,
        label: labelOf(id),
        description: s.description ?? '',
      })),
    }),
    setScenario(id) {
      const scenario = scenarios.get(id);
      if (!scenario) throw new UnknownScenarioError(`Unknown AWS scenario "${id}"`);
      current = id;
      gateway = createSimulatedGateway(scenario, { records, failover });
    },
  };
}

/** `primary-down` → `Primary down`. */
function labelOf(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
