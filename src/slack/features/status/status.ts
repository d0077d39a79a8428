/**
 * `/runbook status`: Route 53 health checks, the answering failover record, CloudWatch alarms and key
 * metrics for the primary and DR regions. The command only acknowledges and queues the work
 * (`deps.defer`); the deferred task talks to AWS and replaces the "Checking…" note through `response_url`.
 */

import { toPartFailure } from '../../../aws/outcome';
import { declaredRecords } from '../../../aws/records';
import { collectStatus } from '../../../aws/status';
import { ActionIds } from '../../action-ids';
import { registerDeferred } from '../../deferred';
import { replyVia } from '../../deferred-reply';
import type { AppDeps } from '../../deps';
import type { CommandContext, Feature } from '../../feature';
import { awsFailureMessage, renderStatus, type StatusNext, statusPendingMessage } from '../../render/status';
import { statusSubcommand } from './subcommands';

export const STATUS_TASK = 'aws.status';

export interface StatusTaskPayload {
  responseUrl: string;
  user: string;
}

function isStatusPayload(p: unknown): p is StatusTaskPayload {
  return typeof (p as StatusTaskPayload | null)?.responseUrl === 'string';
}

/** The deferred half: talk to AWS, then replace the pending note with the report (or the failure). */
export async function runStatusTask(payload: unknown, deps: AppDeps): Promise<void> {
  if (!isStatusPayload(payload)) throw new TypeError('aws.status task without a responseUrl');
  let message: ReturnType<typeof renderStatus>;
  try {
    const gateway = await deps.getAws();
    const report = await collectStatus(gateway, {
      config: deps.config.aws,
      records: declaredRecords(deps.artifact),
      now: deps.now(),
      switchSets: Object.values(deps.artifact.switches ?? {}),
    });
    message = renderStatus(report, statusNext(deps));
  } catch (error) {
    deps.logger.warn('status failed', { error });
    message = awsFailureMessage(toPartFailure(error), {
      actionId: ActionIds.awsStatusRetry,
      value: 'status',
    });
  }
  await replyVia(payload.responseUrl, message, { replaceOriginal: true });
}

/** The checklists that move traffic, found by the Route 53 actions their steps declare (the runbooks say). */
function statusNext(deps: AppDeps): StatusNext {
  const by = (action: string) =>
    deps.artifact.checklists.find((c) =>
      c.items.some((i) => i.type === 'step' && i.directives['action'] === action),
    )?.commands[0];
  const failover = by('route53-failover');
  const failback = by('route53-failback');
  return {
    command: deps.config.slashCommand,
    ...(failover ? { failover } : {}),
    ...(failback ? { failback } : {}),
  };
}

// Reads only, and replaces its own pending note: harmless to repeat, and it must work when the store does
// not (a status check is what people run in an outage), so it takes no task lease.
registerDeferred(STATUS_TASK, runStatusTask, { once: false });

async function queueStatus(
  deps: AppDeps,
  responseUrl: string,
  user: string,
  pending: (m: ReturnType<typeof statusPendingMessage>) => Promise<unknown>,
) {
  await pending(statusPendingMessage());
  const payload: StatusTaskPayload = { responseUrl, user };
  try {
    await deps.defer({ kind: STATUS_TASK, payload });
  } catch (error) {
    // Queuing itself failed (on Lambda: the async self-invoke). Say so, with Retry.
    deps.logger.warn('status not queued', { error });
    const failure = awsFailureMessage(toPartFailure(error), {
      actionId: ActionIds.awsStatusRetry,
      value: 'status',
    });
    await replyVia(responseUrl, failure, { replaceOriginal: true });
  }
}

async function runStatusCommand(ctx: CommandContext): Promise<void> {
  const { command, respond, deps } = ctx;
  await queueStatus(deps, command.response_url, command.user_id, (m) =>
    respond({ response_type: 'ephemeral', ...m }),
  );
}

export const statusFeature: Feature = {
  id: 'status',
  subcommands: [{ ...statusSubcommand, run: runStatusCommand }],
  register(app, deps) {
    app.action(ActionIds.awsStatusRetry, async ({ ack, body, respond }) => {
      await ack();
      const responseUrl = (body as { response_url?: string }).response_url;
      if (!responseUrl) return;
      await queueStatus(deps, responseUrl, body.user.id, (m) => respond({ replace_original: true, ...m }));
    });
  },
};
