/**
 * Every Slack Web API client the bot makes (Bolt's, the checklist runtime's, deferred work's) uses these
 * options: the API URL from config (the fake Slack locally) and a few quick retries, not @slack/web-api's
 * default of ten over about thirty minutes. A click's work runs inside one Lambda invocation (330 s) and a
 * person is waiting for its message; when Slack keeps failing, the bot says so ("recorded; the message could
 * not be refreshed", the fallbacks) and the next click repairs the message from the store, instead of
 * hanging until the invocation times out. A 429 waits its Retry-After and counts as one of these attempts.
 */
import { webApi } from '@slack/bolt';
import type { SlackConfig } from '../config';
import type { AppDeps } from './deps';

export const SLACK_RETRY_CONFIG = {
  retries: 2,
  factor: 2,
  minTimeout: 250,
  maxTimeout: 2000,
  randomize: true,
};

export function webClientOptions(slack: Pick<SlackConfig, 'apiUrl'>): webApi.WebClientOptions {
  return { retryConfig: SLACK_RETRY_CONFIG, ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}) };
}

/** A Web API client outside a Bolt listener (deferred work, the checklist runtime). Token and URL from config. */
export function webClientFor(deps: Pick<AppDeps, 'config'>): webApi.WebClient {
  return new webApi.WebClient(deps.config.slack.botToken, webClientOptions(deps.config.slack));
}
