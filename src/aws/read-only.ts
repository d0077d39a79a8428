/**
 * A gateway that can only read: what a drill's rehearsal gets, so a drill cannot write to AWS even through
 * a bug in the code that plans the change (the executor also asks with `drill: true`, and authorize() refuses
 * `execute_request` in a drill). Every write method throws before any request is made.
 */
import { AwsCallError, type AwsOperation } from './errors';
import type { AwsGateway } from './gateway';
import { PUT_OBJECT, UPDATE_ROUTING_CONTROL_STATE } from './switch-operations';

// As in the operation files, which are not imported here: they would pull the SDK into the feature's chunk.
const CHANGE_RESOURCE_RECORD_SETS: AwsOperation = {
  service: 'Route 53',
  action: 'ChangeResourceRecordSets',
  iamAction: 'route53:ChangeResourceRecordSets',
};
const PUT_PROVISIONED_CONCURRENCY: AwsOperation = {
  service: 'Lambda',
  action: 'PutProvisionedConcurrencyConfig',
  iamAction: 'lambda:PutProvisionedConcurrencyConfig',
};
const DELETE_PROVISIONED_CONCURRENCY: AwsOperation = {
  service: 'Lambda',
  action: 'DeleteProvisionedConcurrencyConfig',
  iamAction: 'lambda:DeleteProvisionedConcurrencyConfig',
};

export class DrillWriteRefused extends AwsCallError {
  constructor(op: AwsOperation) {
    super(
      op,
      'invalid-request',
      'DrillWriteRefused',
      `A drill never writes to AWS: ${op.action} was not sent.`,
    );
  }
}

export function readOnlyGateway(gateway: AwsGateway): AwsGateway {
  const refuse = (op: AwsOperation) => async (): Promise<never> => {
    throw new DrillWriteRefused(op);
  };
  return {
    mode: gateway.mode,
    label: gateway.label,
    healthCheckStatus: (id) => gateway.healthCheckStatus(id),
    listRecordSets: (input) => gateway.listRecordSets(input),
    changeRecordSets: refuse(CHANGE_RESOURCE_RECORD_SETS),
    waitForChange: (changeId, options) => gateway.waitForChange(changeId, options),
    alarmsInAlarm: (input) => gateway.alarmsInAlarm(input),
    metricData: (input) => gateway.metricData(input),
    healthCheckConfig: (id) => gateway.healthCheckConfig(id),
    readSwitchObject: (input) => gateway.readSwitchObject(input),
    writeSwitchObject: refuse(PUT_OBJECT),
    routingControlState: (input) => gateway.routingControlState(input),
    updateRoutingControlState: refuse(UPDATE_ROUTING_CONTROL_STATE),
    dnsAnswers: (input) => gateway.dnsAnswers(input),
    resolveHost: (input) => gateway.resolveHost(input),
    provisionedConcurrency: (input) => gateway.provisionedConcurrency(input),
    setProvisionedConcurrency: refuse(PUT_PROVISIONED_CONCURRENCY),
    removeProvisionedConcurrency: refuse(DELETE_PROVISIONED_CONCURRENCY),
    // Reads of the canary monitor (lambda:GetAlias, Logs Insights): a query is not a change.
    lambdaAlias: (input) => gateway.lambdaAlias(input),
    logsQuery: (input) => gateway.logsQuery(input),
  };
}
