/**
 * Ids rendered into mrkdwn: a mention only for an id of the right shape, anything else as escaped text;
 * fallback `text` escaped like the blocks (an alarm's too).
 */
import { describe, expect, it } from 'vitest';
import { fallback } from '../../src/slack/render/blocks';
import { refusalText, slackDate } from '../../src/slack/render/checklist-format';
import { mentionUser } from '../../src/slack/render/escape';
import { escapeKeepingMentions, mentionChannel, mentionUserGroup } from '../../src/slack/render/mentions';
import { renderAlarm } from '../../src/slack/render/status-alarm';

const HOSTILE = ['<!channel>', 'U0X> <!here', '<http://evil.example|x>', 'U0ABC|x', 'u0abc', 'S0>', ''];

describe('ids in mrkdwn', () => {
  it('mentions only well-formed user, channel and user group ids', () => {
    expect(mentionUser('U0ALICE')).toBe('<@U0ALICE>');
    expect(mentionUser('W0ENTERPRISE')).toBe('<@W0ENTERPRISE>');
    expect(mentionChannel('C0INCIDENT')).toBe('<#C0INCIDENT>');
    expect(mentionChannel('G0PRIVATE')).toBe('<#G0PRIVATE>');
    expect(mentionUserGroup('S0DEVOPS')).toBe('<!subteam^S0DEVOPS>');
    expect(mentionUser(null)).toBe('the bot');
  });

  it.each(HOSTILE)('renders %j as inert text', (value) => {
    for (const out of [mentionUser(value, 'nobody'), mentionChannel(value), mentionUserGroup(value)]) {
      expect(out).not.toMatch(/<[@#!]/);
      expect(out).not.toMatch(/<http/);
    }
  });

  it('keeps the mentions of valid ids in bot-written reasons and escapes the rest', () => {
    expect(escapeKeepingMentions('Only <@U0ALICE> in <#C0INC> — not <!channel> or <@U1> & co')).toBe(
      'Only <@U0ALICE> in <#C0INC> — not &lt;!channel&gt; or &lt;@U1&gt; &amp; co',
    );
    expect(refusalText('step 1 "<b>" by <@U0BOB>')).toBe('step 1 "&lt;b&gt;" by <@U0BOB>');
  });
});

describe('fallback text', () => {
  it('escapes what is not a well-formed mention, once, whatever it was built from', () => {
    expect(fallback('Run <b>x</b> & <!channel> <http://evil|x> for <@U0ALICE> in <#C0INC>')).toBe(
      'Run &lt;b&gt;x&lt;/b&gt; &amp; &lt;!channel&gt; &lt;http://evil|x&gt; for <@U0ALICE> in <#C0INC>',
    );
    // Escaped already (for a block): unchanged, not &amp;lt;.
    expect(fallback('said “&lt;!here&gt; &amp; co”')).toBe('said “&lt;!here&gt; &amp; co”');
  });

  it('shows a date token as its own fallback text, not as escaped markup', () => {
    const signed = `Signed by <@U0BOB> (Security) ${slackDate('2026-12-05T07:07:00.000Z')}.`;
    expect(fallback(signed)).toBe('Signed by <@U0BOB> (Security) 2026-12-05 07:07 UTC.');
    // A date token with a link (`^url`) is not ours: escaped like any other markup.
    expect(fallback('<!date^1^{date}^https://evil.example|x>')).toBe(
      '&lt;!date^1^{date}^https://evil.example|x&gt;',
    );
  });

  it("escapes an alarm's name, region and reason in the notification text, as in the blocks", () => {
    const message = renderAlarm({
      notification: {
        name: '<!channel> api-5xx',
        description: 'DR trigger',
        state: 'ALARM',
        previousState: 'OK',
        reason: 'Threshold crossed <http://evil.example|see> <@U0EVIL>',
        changedAt: '2025-03-01T10:00:00.000Z',
        region: 'af-south-1',
        arn: null,
        accountId: null,
      },
      section: null,
      sectionUrl: null,
      failover: null,
      alarmSince: null,
    });
    expect(message.text).toContain('&lt;!channel&gt; api-5xx');
    expect(message.text).not.toMatch(/<!channel>|<http|<@U0EVIL>/);
  });
});
