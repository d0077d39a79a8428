/** A failover switch set as the DR runbook declares one, with its records, DNS table and warm-up table. */
import type {
  DnsCheck,
  FailoverRecord,
  FailoverSwitch,
  FailoverSwitchSet,
  WarmupTarget,
} from '../../src/runbooks/model/model';
import { type HealthObservation, summarizeHealthCheck } from '../../src/workflows/failover-state';
import type { HealthCheckConfigView, HealthCheckView } from '../../src/workflows/health-tree';

export const HC_CALC = 'hc-calculated';
export const HC_AF = 'hc-af-endpoint';
export const HC_SWITCH = 'hc-switch-s3';
export const HC_ARC = 'hc-switch-arc';
export const HC_EU = 'hc-eu-endpoint';
export const ZONE = 'Z0445566ABCDEFGHIJKL';
export const ON = '{"switch":"api","primary":"on"}';
export const OFF = '{"switch":"api","primary":"off"}';
export const ARC_ARN = 'arn:aws:route53-recovery-control::111122223333:controlpanel/cp1/routingcontrol/rc1';

export const S3_SWITCH: FailoverSwitch = {
  id: 'dr-s3',
  kind: 's3-object',
  region: 'eu-west-1',
  bucket: 'sitecraft-dr-switch',
  key: 'failover/api.json',
  routingControlArn: null,
  clusterEndpoints: [],
  healthCheckId: HC_SWITCH,
  on: ON,
  off: OFF,
  searchString: '"primary":"on"',
};

export const ARC_SWITCH: FailoverSwitch = {
  id: 'dr-arc',
  kind: 'arc-routing-control',
  region: 'us-west-2',
  bucket: null,
  key: null,
  routingControlArn: ARC_ARN,
  clusterEndpoints: [
    { region: 'us-west-2', url: 'https://host-a.example' },
    { region: 'eu-west-1', url: 'https://host-b.example' },
  ],
  healthCheckId: HC_ARC,
  on: 'On',
  off: 'Off',
  searchString: null,
};

export function switchSet(switches: FailoverSwitch[] = [S3_SWITCH]): FailoverSwitchSet {
  return {
    id: 'dr-switch',
    sectionId: 'DR_FAILOVER.md#failover-switch',
    switches,
    calculatedHealthCheckId: HC_CALC,
    primaryHealthCheckIds: [HC_AF],
    secondaryHealthCheckIds: [HC_EU],
    healthThreshold: 1 + switches.length,
    primaryRegion: 'af-south-1',
    secondaryRegion: 'eu-west-1',
  };
}

export const SWITCH_RECORDS: FailoverRecord[] = [
  {
    hostedZoneId: ZONE,
    name: 'api.sitecraft.example',
    type: 'A',
    setIdentifier: 'api-af-south-1',
    failover: 'PRIMARY',
    region: 'af-south-1',
    healthCheckId: HC_CALC,
    value: 'd-af.execute-api.af-south-1.amazonaws.com',
  },
  {
    hostedZoneId: ZONE,
    name: 'api.sitecraft.example',
    type: 'A',
    setIdentifier: 'api-eu-west-1',
    failover: 'SECONDARY',
    region: 'eu-west-1',
    healthCheckId: HC_EU,
    value: 'd-eu.execute-api.eu-west-1.amazonaws.com',
  },
];

export const DNS_CHECK: DnsCheck = {
  id: 'api-dns',
  name: 'api.sitecraft.example',
  type: 'A',
  nameServers: ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.net'],
  answers: [
    { region: 'af-south-1', match: 'd-af.execute-api.af-south-1.amazonaws.com' },
    { region: 'eu-west-1', match: 'd-eu.execute-api.eu-west-1.amazonaws.com' },
  ],
};

export const AF_ADDRESSES = ['13.244.10.1', '13.244.10.2'];
export const EU_ADDRESSES = ['52.16.20.1', '52.16.20.2'];

export const WARMUP: WarmupTarget[] = [
  { functionName: 'sitecraft-prod-api', region: 'eu-west-1', qualifier: 'live', concurrency: 20, standby: 2 },
  {
    functionName: 'sitecraft-prod-generate',
    region: 'eu-west-1',
    qualifier: 'live',
    concurrency: 10,
    standby: null,
  },
];

function observations(healthy: boolean): HealthObservation[] {
  return Array.from({ length: 8 }, (_v, i) => ({
    checkerRegion: `checker-${i}`,
    ipAddress: null,
    status: healthy ? 'Success: HTTP Status Code 200, OK' : 'Failure: Connection timed out.',
    checkedAt: null,
    healthy,
  }));
}

export function config(id: string, over: Partial<HealthCheckConfigView> = {}): HealthCheckConfigView {
  const calculated = id === HC_CALC;
  return {
    healthCheckId: id,
    type: calculated ? 'CALCULATED' : id === HC_ARC ? 'RECOVERY_CONTROL' : 'HTTPS_STR_MATCH',
    inverted: false,
    disabled: false,
    childHealthChecks: calculated ? [HC_AF, HC_SWITCH] : [],
    healthThreshold: calculated ? 2 : null,
    searchString: null,
    routingControlArn: id === HC_ARC ? ARC_ARN : null,
    ...over,
  };
}

/** A readable check whose checkers all see it pass (true) or fail (false); calculated checks have no report. */
export function view(
  id: string,
  healthy: boolean,
  over: Partial<HealthCheckConfigView> = {},
): HealthCheckView {
  return {
    healthCheckId: id,
    config: config(id, over),
    report: id === HC_CALC ? null : summarizeHealthCheck(id, observations(healthy)),
  };
}
