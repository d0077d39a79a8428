/**
 * Symptoms as the people who first see them describe them (users, support, product managers, engineers new
 * to the system), grouped by what they mean in the runbooks' words. Each concept is written from a
 * troubleshooting section's "What you see" and "Likely causes" (TROUBLESHOOTING.md), not from queries:
 * `means` is what the runbooks call it, `said` the everyday ways to say it. Phrases match as typed, without
 * their stop words, and inflected (`signing back in` is `sign back in`). Compiled into search synonyms
 * (terms/index.ts) beside colloquial.ts, which holds slang.
 */

export interface SymptomConcept {
  /** The runbooks' words for it, comma-separated. */
  means: string;
  /** How people say it: words or phrases of up to three words. */
  said: readonly string[];
}

export const SYMPTOM_CONCEPTS: readonly SymptomConcept[] = [
  // Blocked by AWS WAF: the function never saw the request, so its logs hold nothing for it.
  {
    means: 'no log line, never reached the function',
    said: [
      'nothing in logs',
      'nothing api logs',
      'nothing lambda logs',
      'not in logs',
      'no logs',
      'not logged',
    ],
  },
  // Token expired, Session invalid: "sent back to sign-in", "Please sign in again".
  {
    means: 'sign in again, logged out',
    said: [
      'sign back in',
      'log back in',
      'login again',
      'relogin',
      'session expired',
      'session ended',
      'back to login',
      'sent to login',
    ],
  },
  // Session invalid: every session at once.
  { means: 'session invalid, revoked', said: ['wiped', 'sessions reset', 'logins reset', 'all sessions'] },
  // The surfaces a symptom shows on: a toast, a dialog, a banner, a page.
  {
    means: 'dialog, toast, banner',
    said: ['popup', 'pop up', 'pop-up', 'modal'],
  },
  // Invalid response: "Try rephrasing your request"; output truncated or unusable.
  {
    means: 'rephrasing, invalid response',
    said: ['rephrase', 'reword', 'rewrite prompt'],
  },
  {
    means: 'truncated, half-rendered',
    said: ['chopped off', 'chopped', 'cut short', 'incomplete', 'unfinished'],
  },
  {
    means: 'invalid response, malformed',
    said: ['looks wrong', 'come out wrong', 'wrong output', 'messed up'],
  },
  // Invalid response and Generation timeout: the preview.
  {
    means: 'blank, half-rendered, preview',
    said: ['blank page', 'white page', 'white screen', 'blank screen', 'went blank'],
  },
  // Connection lost: cut mid-stream, by the client's network or sleep.
  {
    means: 'mid-stream, disconnected',
    said: ['partway', 'part way', 'midway', 'halfway through', 'middle of'],
  },
  {
    means: 'laptop sleep, client network changes',
    said: [
      'laptop lid',
      'shut laptop',
      'close laptop',
      'went to sleep',
      'switch networks',
      'changed network',
    ],
  },
  {
    means: 'corporate proxy, antivirus',
    said: [
      'firewall',
      'security software',
      'works at home',
      'works from home',
      'home network',
      'from home it',
      'at home it',
      'web filter',
      'content filter',
    ],
  },
  {
    means: 'stream, event-stream, disconnected',
    said: ['progress updates', 'live updates', 'updates stop'],
  },
  // Access denied: the user moved to another tenant.
  {
    means: 'moved to another tenant, tenant',
    said: [
      'switched companies',
      'changed companies',
      'switched accounts',
      'moved teams',
      'different account',
    ],
  },
  // Site not updating: visitors still get the old page, users the previous builder.
  {
    means: 'stale, old content, old version',
    said: [
      'previous version',
      'older version',
      'outdated',
      'yesterdays version',
      'old stuff',
      'still get',
      'not live',
    ],
  },
  // Invalidate the CloudFront cache.
  {
    means: 'invalidate, cache, cloudfront',
    said: ['clear cdn', 'flush cdn', 'purge cdn', 'flush cache', 'purge cache'],
  },
  // Generation: what users call generating a site.
  {
    means: 'generation, generate',
    said: ['build a site', 'create a site', 'make a site', 'site creation', 'site generation', 'create site'],
  },
  // Generation timeout, Slow generation: waiting with nothing back.
  {
    means: 'stuck, timeout, loading',
    said: ['spin', 'keeps spinning', 'nothing comes back', 'no response'],
  },
  // API timeout: slow at first, then fine (cold starts).
  {
    means: 'cold start, first request',
    said: ['gets better', 'then fine', 'then fast', 'warms up', 'calms down', 'settles down', 'dies down'],
  },
  // API timeout: bursts "at the start of the working day".
  {
    means: 'start of the working day, bursts',
    said: ['offices open', 'office opens'],
  },
  // Page load slow: the builder takes seconds to become usable.
  {
    means: 'page load, usable, bundle size',
    said: ['heavy', 'slow to load', 'takes to load', 'load time', 'can click', 'time to interactive'],
  },
  // Generation timeout: "Try again in a minute", at the weekday peak.
  {
    means: 'try again in a minute, generation timeout',
    said: ['try again later', 'try later', 'wait a minute'],
  },
  {
    means: 'peak, weekday peak',
    said: ['around lunch', 'at lunch', 'over lunch', 'lunch hour', 'busy'],
  },
  // Invalid response: a guardrail intervened on one tenant's content.
  {
    means: 'guardrail intervened, guardrail',
    said: ['content filter', 'safety filter', 'moderation', 'blocked content', 'flagged content'],
  },
  // Token expired: the pre token trigger fails, so nobody can sign in.
  {
    means: 'pre token trigger, pretoken',
    said: ['login hook', 'auth hook', 'sign in hook', 'login lambda', 'auth lambda', 'cognito trigger'],
  },
  // Site not updating: a publish that changed nothing for visitors.
  {
    means: 'site not updating, stale, old content',
    said: ['unchanged', 'no change', 'hasnt changed', 'didnt change', 'same as before'],
  },
  // Build failed: dependencies, a red CI build.
  {
    means: 'dependency, package',
    said: ['library', 'libraries', 'lib', 'libs', 'deps'],
  },
  {
    means: 'build failed',
    said: ['pr build', 'ci build', 'build broke', 'build is red', 'ci failing'],
  },
  // Severity levels; Request a Bedrock quota increase; On-call handover.
  {
    means: 'severity, severity levels',
    said: ['how serious', 'how critical', 'what priority', 'which sev', 'what sev', 'how big'],
  },
  {
    means: 'quota increase, quota',
    said: ['bigger limit', 'higher limit', 'raise limit', 'increase limit', 'limit increase'],
  },
  // The model's capacity is Bedrock's quota (tokens and requests per minute in eu-west-1).
  {
    means: 'bedrock quota, quota',
    said: ['model capacity', 'ai capacity', 'llm capacity', 'bedrock capacity', 'genai capacity'],
  },
  // The start of an on-call day or shift is when the daily checks run.
  {
    means: 'daily checks',
    said: [
      'start of my shift',
      'start of a shift',
      'start of the shift',
      'start of shift',
      'start of my day',
    ],
  },
  {
    means: 'handover',
    said: [
      'take over call',
      'take over on-call',
      'take over the pager',
      'my shift',
      'next shift',
      'shift change',
      // Handing the pager on at the end of a rotation.
      'next person on call',
      'pass the pager',
      'passing the pager',
      'hand the pager',
      'handing the pager',
      'end of my rotation',
      'end of my week',
    ],
  },
];
