/**
 * Work handed off after the ack: run in-process by default, by a Lambda async invoke on AWS. A port
 * type, named here so that the Slack layer (which queues and runs tasks: src/slack/deferred.ts) and the AWS
 * adapter (which carries them: src/aws/lambda-defer.ts) both depend on it instead of on each other. The
 * payload must be JSON-serialisable; its fields are references to stored state, never authority.
 */
export interface DeferredTask {
  kind: string;
  payload: unknown;
}
