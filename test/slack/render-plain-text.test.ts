/** Bot-written mrkdwn as plain text for the exported timeline (src/slack/render/plain-text.ts). */
import { describe, expect, it } from 'vitest';
import { decodeSlackEntities, escapeMrkdwn } from '../../src/slack/render/escape';
import { SIM } from '../../src/slack/render/failover-steps';
import { mentionedUsers, slackToPlain } from '../../src/slack/render/plain-text';

const names = { U0ANA: 'Ana', U0SAM: 'Sam Sec' };
const plain = (t: string) => slackToPlain(t, { names });

describe('slackToPlain', () => {
  it('reads the bot’s own notes as a person would: no emoji codes, no bold markers, names not mentions', () => {
    const note = `${SIM('SIMULATED')}:white_check_mark: Route 53 failover by <@U0ANA>, approved by <@U0SAM|sam>: *done* in _eu-west-1_ (\`s3://b/k\`)`;
    expect(plain(note)).toBe(
      'SIMULATED [OK] Route 53 failover by @Ana, approved by @Sam Sec: done in eu-west-1 (s3://b/k)',
    );
    expect(plain(':warning: The switch was not turned')).toBe('[WARNING] The switch was not turned');
    expect(plain(':mag: :test_tube: checked')).toBe('checked');
  });

  it('turns every Slack token into words', () => {
    expect(plain('ping <!subteam^S0DBA|@dba-oncall> and <!subteam^S0X>')).toBe('ping @dba-oncall and @S0X');
    expect(plain('<!here> <!channel> <!everyone>')).toBe('@here @channel @everyone');
    expect(plain('in <#C0OPS|ops> and <#C0DEV>')).toBe('in #ops and #C0DEV');
    expect(plain('see <https://status.example/x?a=1&amp;b=2|the status page>')).toBe(
      'see the status page (https://status.example/x?a=1&b=2)',
    );
    expect(plain('<https://x.example>')).toBe('https://x.example');
    expect(plain('<mailto:ops@example.com|ops@example.com>')).toBe('ops@example.com');
    expect(plain('at <!date^1700000000^{time}|10:00 UTC>')).toBe('at 10:00 UTC');
    expect(plain('<@U0NOBODY> and <@U0NOBODY|nobody>')).toBe('U0NOBODY and @nobody');
  });

  it('decodes Slack’s escapes exactly once: what a user typed shows as typed, `&lt;` included', () => {
    // The bot escapes typed text once when it writes a note; reading it undoes that once.
    for (const typed of ['a < b && c > d', '&lt;tag&gt;', '&amp;lt;', '<@U0ANA>', '<!channel>', '1 &amp 2']) {
      expect(plain(`Reason: ${escapeMrkdwn(typed)}`)).toBe(`Reason: ${typed}`);
    }
    expect(decodeSlackEntities('&amp;lt; &lt;&gt; &amp;amp;')).toBe('&lt; <> &amp;');
  });

  it('leaves what only looks like an emoji alone: times, ARNs, ratios', () => {
    const text =
      'at 10:03:04, arn:aws:route53-recovery-control::123:controlpanel/abc, ratio a:b:c, host:port:';
    expect(plain(text)).toBe(text);
    // Names that are properties of every object are just unknown shortcodes.
    expect(plain('x :constructor: :__proto__: :valueof: y')).toBe('x y');
  });

  it('keeps code exactly as written (only its escapes undone), and snake_case and arithmetic as they are', () => {
    expect(plain('run `export A=*x*_y_ :warning:` then')).toBe('run export A=*x*_y_ :warning: then');
    expect(plain('```\nnpm ci && npm test\n```')).toBe('npm ci && npm test');
    expect(plain('snake_case_name 2*3*4 and file_a_b.txt')).toBe('snake_case_name 2*3*4 and file_a_b.txt');
    expect(plain('*_both_* ~gone~')).toBe('both gone');
  });

  it('survives hostile input: placeholder characters, unbalanced markup, huge text', () => {
    expect(plain('\uE0000\uE001 <@U0ANA')).toBe('\uFFFD0\uFFFD <@U0ANA');
    expect(plain('*unclosed _and `open <')).toBe('*unclosed _and `open <');
    expect(plain('<>')).toBe('<>');
    const big = `${'*a* <@U0ANA> &amp;lt; :x: '.repeat(2000)}`;
    const out = plain(big);
    expect(out.startsWith('a @Ana &lt; [FAILED] a @Ana')).toBe(true);
    expect(out).not.toMatch(/<@|\*a\*|:x:/);
  });

  it('keeps emoji when asked (thread messages, which Slack renders)', () => {
    expect(slackToPlain(':warning: *x* <@U0ANA>', { names, keepEmoji: true })).toBe(':warning: x @Ana');
  });

  it('lists the users a text mentions, for the name lookup', () => {
    expect(mentionedUsers('<@U0ANA> <@W0B|b> &lt;@U0TYPED&gt; <@bad>')).toEqual(['U0ANA', 'W0B']);
  });
});
