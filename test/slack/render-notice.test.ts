/**
 * Regression: the stakeholder-notice preview was escaped twice (once by fillNotice, again by the renderer),
 * so "Started by <@U…>" showed as raw `&lt;@U…&gt;` text and `&` as `&amp;amp;`.
 */
import { describe, expect, it } from 'vitest';
import type { Template } from '../../src/runbooks/model/model';
import { fillNotice } from '../../src/slack/features/aws-steps/notify';
import { noticeStepBlocks } from '../../src/slack/render/status-steps';

const template: Template = {
  id: 'failover-notice',
  text: 'Failover R&D notice: {{status}}\nStarted by {{started_by}}',
  placeholders: ['status', 'started_by'],
  sectionId: 'DR_FAILOVER.md#notification-template',
};

describe('noticeStepBlocks', () => {
  it('quotes the filled notice once-escaped: mentions stay mentions, & becomes &amp; once', () => {
    const filled = fillNotice(template, { status: 'in progress', started_by: '<@U01ALICE>' });
    const blocks = noticeStepBlocks({
      value: 'run~step',
      preview: filled.text,
      missing: filled.missing,
      channels: ['C01STAKE'],
      drill: false,
      posted: null,
      templateId: template.id,
    });
    const text = JSON.stringify(blocks);
    expect(text).toContain('> Started by <@U01ALICE>');
    expect(text).toContain('R&amp;D');
    expect(text).not.toContain('&amp;amp;');
    expect(text).not.toContain('&lt;@U01ALICE&gt;');
  });

  it('still neutralises mrkdwn control characters the runbook text carries', () => {
    const hostile: Template = { ...template, text: 'Ping <!channel> {{status}}' };
    const filled = fillNotice(hostile, { status: 'ok', started_by: '<@U1>' });
    const text = JSON.stringify(
      noticeStepBlocks({
        value: 'v',
        preview: filled.text,
        missing: [],
        channels: [],
        drill: true,
        posted: null,
        templateId: hostile.id,
      }),
    );
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
  });
});
