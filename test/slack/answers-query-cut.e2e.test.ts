/**
 * Found in a review (helper-209): the query an answer's buttons carry is cut to MAX_REF_QUERY UTF-16 units
 * (render/answer.ts `feedbackQuery`); cut inside an emoji it left half a surrogate pair in every button's
 * value, a string that is not well-formed Unicode (UTF-8 cannot encode it). Everything else the bot cuts
 * keeps code points whole (limits.ts `truncate`, escape.ts `quoteUserText`).
 */
import { describe, expect, test } from 'vitest';
import { MAX_REF_QUERY } from '../../src/slack/render/answer';
import { useTestBotWithStore } from '../helpers/bot-with-store';
import { type MessageBody, messageButtons } from '../helpers/slack-messages';

const env = useTestBotWithStore();

/** No lone surrogate: a string UTF-8 can encode (String#isWellFormed is ES2024, beyond this project's lib). */
const wellFormed = (s: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('the query in an answer’s buttons', () => {
  test('is cut on a code point boundary: every button value is well-formed', async () => {
    // An emoji whose two UTF-16 units straddle the cut.
    const head = 'token expired '.repeat(14);
    const query = `${head}${'x'.repeat(MAX_REF_QUERY - 1 - head.length)}\u{1F525} after login`;
    expect(wellFormed(query.slice(0, MAX_REF_QUERY))).toBe(false);
    const res = await env.bot.command(query);
    const body = (await res.response()).body as MessageBody;
    const values = messageButtons(body).flatMap((b) => (b.value === undefined ? [] : [b.value]));
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) expect(wellFormed(v), JSON.stringify(v)).toBe(true);
  });
});
