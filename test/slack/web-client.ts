import { webApi } from '@slack/bolt';

/** A real Web API client pointed at the fake (no retries, so error answers surface at once). */
export function createWebClient(token: string, slackApiUrl: string): webApi.WebClient {
  return new webApi.WebClient(token, { slackApiUrl, retryConfig: { retries: 0 } });
}
