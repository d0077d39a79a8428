/** What every part of the benchmark shares: the app's Slack identity and the search it answers. */

export const BENCH_SECRET = 'bench-signing-secret-0123456789';
export const BENCH_TOKEN = 'xoxb-bench-token';

/**
 * Our app's environment as `npm start` runs it against the fake Slack, with the embedded store: the app
 * server of the storms (ack-server.ts) and the in-process warm benches (warm-cpu.ts, warm-alloc.ts).
 */
export function benchAppEnv(
  slackApiUrl: string,
  inputs: { artifactPath: string; approversFile: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BENCH_TOKEN,
    SLACK_SIGNING_SECRET: BENCH_SECRET,
    SLACK_API_URL: slackApiUrl,
    SLACK_BOT_USER_ID: 'U0BENCH',
    SLACK_BOT_ID: 'B0BENCH',
    PORT: '0',
    LOG_LEVEL: 'error',
    RUNBOOK_ARTIFACT: inputs.artifactPath,
    APPROVERS_FILE: inputs.approversFile,
    STORE: 'embedded',
    ...extra,
  };
}

/** The search every app answers (`/runbook token expired`), and a phrase our answer must contain. */
export const BENCH_QUERY = 'token expired';
export const BENCH_EXPECT = 'Token expired';
/** What the bare Bolt app answers to it. */
export const HELLO_EXPECT = `hello ${BENCH_QUERY}`;

/**
 * Whether a response_url answer shows the expected section: the first header block of the answer (the
 * section it opens with, not a "see also" further down) names it.
 */
export function answersWith(body: Record<string, unknown>, expect: string): boolean {
  const blocks = Array.isArray(body.blocks)
    ? (body.blocks as { type?: string; text?: { text?: string } }[])
    : [];
  const header = blocks.find((b) => b.type === 'header')?.text?.text;
  return header?.includes(expect) ?? false;
}

/** The bare app's answer: plain text. */
export function helloAnswered(body: Record<string, unknown>): boolean {
  return body.text === HELLO_EXPECT;
}

/** Checks an answer of either app; throws saying what came instead. */
export function checkAnswer(
  app: 'ours' | 'baseline',
  body: Record<string, unknown> | undefined,
  where: string,
): void {
  const ok =
    body !== undefined && (app === 'baseline' ? helloAnswered(body) : answersWith(body, BENCH_EXPECT));
  if (!ok) {
    const want = app === 'baseline' ? `"${HELLO_EXPECT}"` : `a "${BENCH_EXPECT}" section`;
    throw new Error(`${where}: expected ${want}, got ${JSON.stringify(body ?? null).slice(0, 300)}`);
  }
}
