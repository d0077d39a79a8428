/** What every part of the benchmark shares: the app's Slack identity and the search it answers. */

export const BENCH_SECRET = 'bench-signing-secret-0123456789';
export const BENCH_TOKEN = 'xoxb-bench-token';

/** The search every app answers (`/runbook token expired`), and a phrase our answer must contain. */
export const BENCH_QUERY = 'token expired';
export const BENCH_EXPECT = 'Token expired';
/** What the bare Bolt app answers to it. */
export const HELLO_EXPECT = `hello ${BENCH_QUERY}`;
