/**
 * Where a `/runbook` command's replies go. A command that answers from memory (search, help, contacts,
 * list: `Subcommand.answersInAck`) puts its first reply in the acknowledgement's body, which Slack shows
 * exactly as it shows a post to `response_url`: the answer arrives with the ack, and the search path opens
 * no outbound connection at all (on Lambda, `AwsLambdaReceiver` returns it as the HTTP response). Every
 * later reply, and every reply of a command that acknowledges first (checklists, status, diagnose: they
 * may wait on the store or AWS), goes to `response_url` as before.
 */
import type { AckFn, RespondArguments, RespondFn } from '@slack/bolt';

export interface CommandResponder {
  /** Replies: in the ack's body when allowed and not yet acknowledged, else through `response_url`. */
  reply: RespondFn;
  /** Acknowledges with an empty body unless already acknowledged; safe to call any number of times. */
  ack(): Promise<void>;
  /** Whether the acknowledgement has been sent. */
  readonly acked: boolean;
}

export function commandResponder(
  ack: AckFn<string | RespondArguments>,
  respond: RespondFn,
  inAck: boolean,
): CommandResponder {
  let acked = false;
  const ackEmpty = async () => {
    if (acked) return;
    acked = true;
    await ack();
  };
  const reply: RespondFn = async (message) => {
    if (inAck && !acked) {
      acked = true;
      await ack(ackBody(message));
      // What `respond` resolves to (a fetch Response) has no equivalent here; callers do not read it.
      return undefined as never;
    }
    await ackEmpty();
    return respond(message);
  };
  return {
    reply,
    ack: ackEmpty,
    get acked() {
      return acked;
    },
  };
}

/**
 * The ack body of a reply: the same message, without what only means something to `response_url`
 * (replacing or deleting an earlier message: a command has none).
 */
export function ackBody(message: string | RespondArguments): RespondArguments {
  if (typeof message === 'string') return { text: message };
  const {
    replace_original: _replace,
    delete_original: _delete,
    ...rest
  } = message as RespondArguments & {
    replace_original?: boolean;
    delete_original?: boolean;
  };
  return rest as RespondArguments;
}
