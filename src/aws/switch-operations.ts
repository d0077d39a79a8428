/**
 * The failover switch's AWS operations as data (service, action, IAM action), apart from the files that
 * call them: the simulated gateway and error messages need them, and importing them from the operation
 * files would pull the S3 and ARC SDKs into the chunk every AWS feature loads.
 */
import type { AwsOperation } from './errors';

export const GET_OBJECT: AwsOperation = { service: 'S3', action: 'GetObject', iamAction: 's3:GetObject' };

export const PUT_OBJECT: AwsOperation = { service: 'S3', action: 'PutObject', iamAction: 's3:PutObject' };

export const GET_ROUTING_CONTROL_STATE: AwsOperation = {
  service: 'Route 53 ARC',
  action: 'GetRoutingControlState',
  iamAction: 'route53-recovery-cluster:GetRoutingControlState',
};

export const UPDATE_ROUTING_CONTROL_STATE: AwsOperation = {
  service: 'Route 53 ARC',
  action: 'UpdateRoutingControlState',
  iamAction: 'route53-recovery-cluster:UpdateRoutingControlState',
};
