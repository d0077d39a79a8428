/** Shared test data for the AWS tests: a failover pair as the DR runbook declares it, and its live form. */
import { type AwsConfig, loadAwsConfig } from '../../src/config';
import type { FailoverRecord } from '../../src/runbooks/model/model';
import type { RecordSetShape } from '../../src/workflows/failover-plan';

export const ZONE = 'Z0445566ABCDEFGHIJKL';
export const HC_PRIMARY = '3f1c2d4e-0000-4000-8000-0000000000af';
export const HC_DR = '3f1c2d4e-0000-4000-8000-0000000000eu';

export const RECORDS: FailoverRecord[] = [
  {
    hostedZoneId: ZONE,
    name: 'api.sitecraft.example.com',
    type: 'A',
    setIdentifier: 'api-af-south-1',
    failover: 'PRIMARY',
    region: 'af-south-1',
    healthCheckId: HC_PRIMARY,
    value: 'd-afabc123.execute-api.af-south-1.amazonaws.com',
  },
  {
    hostedZoneId: ZONE,
    name: 'api.sitecraft.example.com',
    type: 'A',
    setIdentifier: 'api-eu-west-1',
    failover: 'SECONDARY',
    region: 'eu-west-1',
    healthCheckId: HC_DR,
    value: 'd-eudef456.execute-api.eu-west-1.amazonaws.com',
  },
];

/** The pair as ListResourceRecordSets returns it in normal operation. */
export function liveRecords(failedOver = false): RecordSetShape[] {
  return [
    {
      Name: 'api.sitecraft.example.com.',
      Type: 'A',
      SetIdentifier: 'api-af-south-1',
      Failover: failedOver ? 'SECONDARY' : 'PRIMARY',
      AliasTarget: {
        HostedZoneId: 'Z2DHW2332DAMTN',
        DNSName: 'd-afabc123.execute-api.af-south-1.amazonaws.com.',
        EvaluateTargetHealth: true,
      },
      HealthCheckId: HC_PRIMARY,
    },
    {
      Name: 'api.sitecraft.example.com.',
      Type: 'A',
      SetIdentifier: 'api-eu-west-1',
      Failover: failedOver ? 'PRIMARY' : 'SECONDARY',
      AliasTarget: {
        HostedZoneId: 'ZLY8HYME6SFDD',
        DNSName: 'd-eudef456.execute-api.eu-west-1.amazonaws.com.',
        EvaluateTargetHealth: true,
      },
      HealthCheckId: HC_DR,
    },
  ];
}

export function awsConfig(env: Record<string, string> = {}): AwsConfig {
  return loadAwsConfig({
    ALARM_PREFIX: 'sitecraft-prod-',
    API_IDS: 'af-south-1=afapi123,eu-west-1=euapi456',
    ...env,
  });
}

/** An SDK-shaped service error, as the SDK throws it after parsing an AWS error response. */
export function serviceError(name: string, message = name, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode } });
}
