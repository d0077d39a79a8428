/**
 * Sends a body to the Bolt app the way Slack does: a real HTTP POST to /slack/events, form-encoded,
 * signed with the signing secret (`X-Slack-Signature`, `X-Slack-Request-Timestamp`).
 */
import { computeSlackSignature } from '../slack/signing';

export interface BoltAnswer {
  status: number;
  /** The ack body: empty, or JSON such as `{ response_action: 'errors', errors: {...} }`. */
  body: string;
  json: Record<string, unknown> | null;
}

export interface SlackSender {
  send(formBody: string): Promise<BoltAnswer>;
  /** Events API deliveries are JSON (`event_callback`), signed the same way. */
  sendJson(body: string): Promise<BoltAnswer>;
}

export function createSlackSender(opts: {
  /** Where Bolt's HTTP receiver listens; a function, because the port may be known only later. */
  eventsUrl: () => string;
  signingSecret: string;
  now?: () => Date;
}): SlackSender {
  const now = opts.now ?? (() => new Date());
  const post = async (body: string, contentType: string): Promise<BoltAnswer> => {
    const timestamp = Math.floor(now().getTime() / 1000);
    const res = await fetch(opts.eventsUrl(), {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': computeSlackSignature(opts.signingSecret, timestamp, body),
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: text, json: parseJson(text) };
  };
  return {
    send: (formBody) => post(formBody, 'application/x-www-form-urlencoded'),
    sendJson: (body) => post(body, 'application/json'),
  };
}

function parseJson(text: string): Record<string, unknown> | null {
  if (!text.trim().startsWith('{')) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}
