/**
 * Work handed off after the ack: run in-process by default, by a Lambda async invoke on AWS. A port
 * type, named here so that the Slack layer (which queues and runs tasks: src/slack/deferred.ts) and the AWS
 * adapter (which carries them: src/aws/lambda-defer.ts) both depend on it instead of on each other. The
 * payload must be JSON-serialisable; its fields are references to stored state and facts from Slack's
 * signed envelope (who clicked, where), never authority: the task re-authorizes from the store. The whole
 * task travels sealed (src/aws/deferred-seal.ts).
 */
export interface DeferredTask {
  kind: string;
  payload: unknown;
  /**
   * What makes two tasks the same task (default: each queued task is its own): the key of the lease a task
   * with side effects takes, so a second queuing of the same work (a redelivered click) does nothing.
   */
  key?: string;
  /** Whom to tell when the task cannot even start (the store does not answer): the clicker. */
  replyTo?: ReplyTarget;
}

/** Where an answer to one person goes: their interaction's `response_url`, else an ephemeral in `channel`. */
export interface ReplyTarget {
  user: string;
  channel: string | null;
  responseUrl: string | null;
}
