/**
 * found in a review (helper-181): runbook links are written into mrkdwn without escaping their target. The autolink
 * pattern `<((?:https?|mailto):[^>\s]+)>` (markdown.ts inline) lets `|` and `<` through, so runbook text
 * `<https://x|<!channel>>` renders with a live `<!channel>` inside, and `[a](https://x|b)` sets its own label.
 */
import { expect, test } from 'vitest';
import { inline } from '../../src/slack/render/markdown';

test('an autolink in runbook text cannot carry a broadcast mention', () => {
  const out = inline('Status page: <https://status.example.com|<!channel>>');
  expect(out).not.toContain('<!channel>');
});

test('a link target cannot carry its own label or a mention', () => {
  const out = inline('[Grafana](https://evil.example/|<!here)');
  expect(out).not.toContain('<!here');
  expect(out).toMatch(/^<https:\/\/evil\.example\/[^|<>]*\|Grafana>$/);
});
