/**
 * blockkit.js is plain browser JavaScript; it also loads as CommonJS, so its text handling is tested here
 * under jsdom without a browser.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it, vi } from 'vitest';

interface BlockKitApi {
  mrkdwnToHtml(text: string, opts?: { users?: Record<string, { name: string }> }): string;
  markdownToHtml(text: string): string;
  renderBlocks(doc: Document, blocks: unknown[], ctx?: Record<string, unknown>): HTMLElement;
  renderMessageBody(doc: Document, message: { text?: string; blocks?: unknown[] }): HTMLElement;
  collectState(container: Element): { values: Record<string, Record<string, unknown>> };
}

const BlockKit = createRequire(resolve('src/playground/public/blockkit.js'))(
  resolve('src/playground/public/blockkit.js'),
) as BlockKitApi;

const users = { U0PLAYALICE: { name: 'Alice Chen' } };
const md = (text: string) => BlockKit.mrkdwnToHtml(text, { users });

function dom(): Document {
  return new JSDOM('<!doctype html><body></body>').window.document;
}

describe('mrkdwnToHtml', () => {
  it('formats bold, italic, strike, code and line breaks', () => {
    expect(md('*bold* _italic_ ~gone~ `x = 1`\nnext')).toBe(
      '<b>bold</b> <i>italic</i> <s>gone</s> <code>x = 1</code><br>next',
    );
  });

  it('nests italic in bold and leaves snake_case and arithmetic alone', () => {
    expect(md('*_both_*')).toBe('<b><i>both</i></b>');
    expect(md('run file_name_here and 2*3*4')).toBe('run file_name_here and 2*3*4');
  });

  it('escapes HTML in text a user typed, once Slack has escaped it', () => {
    const slackEscaped = '&lt;img src=x onerror=alert(1)&gt; &amp; "quotes" \'single\'';
    expect(md(slackEscaped)).toBe(
      '&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;single&#39;',
    );
  });

  it('never emits a tag from raw angle brackets', () => {
    const html = md('<script>alert(1)</script><img src=x onerror=alert(1)>');
    expect(html).not.toMatch(/<script|<img/);
  });

  it('keeps code spans and preformatted blocks literal and escaped', () => {
    expect(md('`*not bold* &lt;b&gt;`')).toBe('<code>*not bold* &lt;b&gt;</code>');
    expect(md('before\n```\naws route53 get-health-check --id "$ID" &amp;&amp; echo *ok*\n```\nafter')).toBe(
      'before<pre class="bk-pre">aws route53 get-health-check --id &quot;$ID&quot; &amp;&amp; echo *ok*</pre>after',
    );
  });

  it('renders http(s) links with labels and refuses other schemes', () => {
    expect(md('<https://example.com/a?b=1&amp;c=2|the *docs*>')).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the *docs*</a>',
    );
    expect(md('<javascript:alert(1)|click me>')).toBe('click me');
    expect(md('<https://x.test/" onmouseover="alert(1)>')).toBe(
      '<a href="https://x.test/&quot; onmouseover=&quot;alert(1)" target="_blank" rel="noopener noreferrer">https://x.test/&quot; onmouseover=&quot;alert(1)</a>',
    );
  });

  it('shows mentions by name and special mentions as badges', () => {
    expect(md('<@U0PLAYALICE> <@U999|zed> <!here> <#C1|ops> <!subteam^S1|@oncall>')).toBe(
      [
        '<span class="bk-mention bk-mention-user">@Alice Chen</span>',
        '<span class="bk-mention bk-mention-user">@zed</span>',
        '<span class="bk-mention bk-mention-broadcast">@here</span>',
        '<span class="bk-mention bk-mention-channel">#ops</span>',
        '<span class="bk-mention bk-mention-group">@oncall</span>',
      ].join(' '),
    );
    expect(md('<@U1|<b>x</b>>')).not.toContain('<b>');
  });

  it('turns runs of > lines into one quote', () => {
    expect(md('said:\n&gt; one\n&gt; *two*\nafter')).toBe(
      'said:<br><blockquote>one<br><b>two</b></blockquote>after',
    );
  });

  it('ignores forged placeholder characters', () => {
    expect(md('\uE0000\uE001 `a`')).toBe('0 <code>a</code>');
  });

  it('replaces known emoji shortcodes only', () => {
    expect(md(':white_check_mark: done :not_an_emoji:')).toBe('✅ done :not_an_emoji:');
  });
});

describe('renderBlocks', () => {
  it('renders header, section fields, context, divider and plain text without interpreting markup', () => {
    const doc = dom();
    const root = BlockKit.renderBlocks(
      doc,
      [
        { type: 'header', text: { type: 'plain_text', text: '<b>Token expired</b>' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*Fix*' },
          fields: [
            { type: 'mrkdwn', text: '*Region*\neu-west-1' },
            { type: 'plain_text', text: '*literal*' },
          ],
        },
        { type: 'divider' },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'by <@U0PLAYALICE>' }] },
      ],
      { users },
    );
    expect(root.querySelector('.bk-header-text')?.textContent).toBe('<b>Token expired</b>');
    expect(root.querySelector('.bk-header-text b')).toBeNull();
    expect(root.querySelector('.bk-section-text')?.innerHTML).toBe('<b>Fix</b>');
    expect(root.querySelectorAll('.bk-field')).toHaveLength(2);
    expect(root.querySelectorAll('.bk-field')[1]?.textContent).toBe('*literal*');
    expect(root.querySelector('.bk-divider hr')).not.toBeNull();
    expect(root.querySelector('.bk-context')?.textContent).toBe('by @Alice Chen');
  });

  it('asks for confirmation before a button with a confirm dialog acts', async () => {
    const doc = dom();
    const onAction = vi.fn();
    const confirm = vi.fn().mockResolvedValueOnce(false).mockResolvedValueOnce(true);
    const root = BlockKit.renderBlocks(
      doc,
      [
        {
          type: 'actions',
          block_id: 'b1',
          elements: [
            {
              type: 'button',
              action_id: 'run_failover',
              value: 'v1',
              style: 'danger',
              text: { type: 'plain_text', text: 'Execute failover' },
              confirm: {
                title: { type: 'plain_text', text: 'Sure?' },
                text: { type: 'mrkdwn', text: 'Really' },
                confirm: { type: 'plain_text', text: 'Go' },
                deny: { type: 'plain_text', text: 'Stop' },
              },
            },
          ],
        },
      ],
      { onAction, confirm },
    );
    const button = root.querySelector('button') as HTMLButtonElement;
    expect(button.className).toBe('bk-btn bk-btn-danger');
    button.click();
    await vi.waitFor(() => expect(confirm).toHaveBeenCalledTimes(1));
    expect(onAction).not.toHaveBeenCalled();
    button.click();
    await vi.waitFor(() => expect(onAction).toHaveBeenCalledTimes(1));
    expect(onAction.mock.calls[0]?.[0]).toMatchObject({
      type: 'button',
      action_id: 'run_failover',
      block_id: 'b1',
      value: 'v1',
    });
  });

  it('collects input values into state.values keyed by block and action', () => {
    const doc = dom();
    const root = BlockKit.renderBlocks(doc, [
      {
        type: 'input',
        block_id: 'reason',
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, initial_value: 'drill' },
      },
      {
        type: 'input',
        block_id: 'region',
        label: { type: 'plain_text', text: 'Region' },
        element: {
          type: 'static_select',
          action_id: 'pick',
          options: [
            { text: { type: 'plain_text', text: 'Ireland' }, value: 'eu-west-1' },
            { text: { type: 'plain_text', text: 'Frankfurt' }, value: 'eu-central-1' },
          ],
          initial_option: { text: { type: 'plain_text', text: 'Frankfurt' }, value: 'eu-central-1' },
        },
      },
    ]);
    expect(BlockKit.collectState(root)).toEqual({
      values: {
        reason: { value: { type: 'plain_text_input', value: 'drill' } },
        region: {
          pick: {
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: 'Frankfurt' }, value: 'eu-central-1' },
          },
        },
      },
    });
  });

  it('falls back to the message text when there are no blocks', () => {
    const body = BlockKit.renderMessageBody(dom(), { text: 'hello *there*' });
    expect(body.querySelector('.bk-fallback')?.innerHTML).toBe('hello <b>there</b>');
  });
});

describe('emoji', () => {
  it('shows every shortcode the bot writes as its emoji, as Slack does', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    const used = new Set<string>();
    for (const file of ['src/slack', 'src/workflows', 'src/aws'].flatMap(files))
      for (const m of readFileSync(file, 'utf8').matchAll(/[`' ]:([a-z][a-z0-9_+-]+):/g)) used.add(m[1]!);
    expect(used.size).toBeGreaterThan(20);
    const shown = [...used].map((name) => [name, md(`:${name}:`)]);
    expect(shown.filter(([name, html]) => html === `:${name}:`)).toEqual([]);
  });
});
