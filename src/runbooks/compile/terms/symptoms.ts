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
  // Token expired, Session invalid: "sent back to sign-in", "Please sign in again".
  {
    means: 'sign in again, logged out',
    said: [
      'sign back in',
      'log back in',
      'login again',
      'relogin',
      're-login',
      'reauthenticate',
      'session expired',
      'session ended',
      'back to login',
      'sent to login',
      'login prompt',
      'logging out',
      'signing out',
    ],
  },
  // Session invalid: every session at once.
  { means: 'session invalid, revoked', said: ['wiped', 'sessions reset', 'logins reset', 'all sessions'] },
  // The surfaces a symptom shows on: a toast, a dialog, a banner, a page.
  {
    means: 'dialog, toast, banner',
    said: ['popup', 'pop up', 'pop-up', 'modal', 'alert box', 'message box'],
  },
  // Invalid response: "Try rephrasing your request"; output truncated or unusable.
  {
    means: 'rephrasing, invalid response',
    said: ['rephrase', 'reword', 'rewrite prompt', 'different wording'],
  },
  {
    means: 'truncated, half-rendered',
    said: ['chopped off', 'chopped', 'cut short', 'incomplete', 'unfinished', 'missing end', 'partially'],
  },
  {
    means: 'invalid response, malformed',
    said: ['looks wrong', 'come out wrong', 'wrong output', 'weird output', 'unusable output', 'messed up'],
  },
  // Invalid response and Generation timeout: the preview.
  {
    means: 'blank, half-rendered, preview',
    said: [
      'blank page',
      'white page',
      'white screen',
      'blank screen',
      'empty page',
      'went blank',
      'nothing renders',
    ],
  },
  // Connection lost: cut mid-stream, by the client's network or sleep.
  {
    means: 'mid-stream, disconnected',
    said: ['partway', 'part way', 'midway', 'mid way', 'halfway through', 'stops halfway', 'middle of'],
  },
  {
    means: 'laptop sleep, client network changes',
    said: [
      'laptop lid',
      'shut laptop',
      'close laptop',
      'closed laptop',
      'went to sleep',
      'switch networks',
      'changed network',
    ],
  },
  {
    means: 'corporate proxy, antivirus',
    said: [
      'firewall',
      'company firewall',
      'corporate firewall',
      'security software',
      'web filter',
      'content filter',
    ],
  },
  {
    means: 'stream, event-stream, disconnected',
    said: ['progress updates', 'live updates', 'stream stops', 'stopped streaming', 'updates stop'],
  },
  // Access denied: the user moved to another tenant.
  {
    means: 'moved to another tenant, tenant',
    said: [
      'switched companies',
      'changed companies',
      'moved companies',
      'switched accounts',
      'changed accounts',
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
      'last version',
      'old stuff',
      'old copy',
      'still get',
      'not live',
    ],
  },
  // Invalidate the CloudFront cache.
  {
    means: 'invalidate, cache, cloudfront',
    said: [
      'clear cdn',
      'flush cdn',
      'purge cdn',
      'refresh cdn',
      'flush cache',
      'purge cache',
      'refresh cache',
      'clear cloudfront',
    ],
  },
  // Generation: what users call generating a site.
  {
    means: 'generation, generate',
    said: [
      'build a site',
      'create a site',
      'make a site',
      'site creation',
      'site generation',
      'generate site',
      'create site',
      'sites made',
    ],
  },
  // Generation timeout, Slow generation: waiting with nothing back.
  {
    means: 'stuck, timeout, loading',
    said: [
      'spin',
      'keeps spinning',
      'loading forever',

      'nothing comes back',
      'no response',
    ],
  },
  // API timeout: slow at first, then fine (cold starts).
  {
    means: 'cold start, first request',
    said: [
      'gets better',
      'then fine',
      'then fast',
      'then quick',
      'fine after',
      'warms up',
      'start of the day',
    ],
  },
  // Page load slow: the builder takes seconds to become usable.
  {
    means: 'page load, usable, bundle size',
    said: [
      'heavy',
      'slow to load',
      'takes to load',
      'load time',
      'loading time',
      'can click',
      'time to interactive',
      'becomes usable',
    ],
  },
  // Generation timeout: at the weekday peak.
  {
    means: 'peak, weekday peak',
    said: ['around lunch', 'at lunch', 'over lunch', 'lunch hour', 'busy time', 'rush hour'],
  },
  // Build failed: dependencies, a red CI build.
  {
    means: 'dependency, package',
    said: ['library', 'libraries', 'lib', 'libs', 'deps', 'bumped a library', 'upgraded a package'],
  },
  {
    means: 'build failed',
    said: [
      'pr build',
      'ci build',
      'build broke',
      'build broken',
      'build is red',
      'red build',
      'ci failing',
      'checks failing',
    ],
  },
  // Severity levels; Request a Bedrock quota increase; On-call handover.
  {
    means: 'severity, severity levels',
    said: ['how serious', 'how critical', 'how big a deal', 'what priority', 'which sev', 'what sev'],
  },
  {
    means: 'quota increase, quota',
    said: [
      'bigger limit',
      'higher limit',
      'raise limit',
      'raise the limit',
      'increase limit',
      'limit increase',
      'more quota',
      'service quota',
    ],
  },
  {
    means: 'handover',
    said: ['take over call', 'my shift', 'next shift', 'start of shift', 'end of shift', 'shift change'],
  },
];
