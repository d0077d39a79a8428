/**
 * Block Kit JSON → DOM, for the local playground. A plain browser script (no build step) that also loads
 * in Node as CommonJS, so the mrkdwn escaping is unit-tested without a browser.
 *
 * Safety rule: text from a payload reaches the DOM either through `textContent` or through
 * `mrkdwnToHtml`, which HTML-escapes every character it does not itself emit as markup. Link targets are
 * limited to http(s) and mailto.
 */
((root, factory) => {
  const api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.BlockKit = api;
})(typeof globalThis !== 'undefined' ? globalThis : this, () => {
  // ---------------------------------------------------------------------------------------------------
  // Text

  const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
  }

  /** Slack escapes exactly three characters in message text; undo them before HTML-escaping. */
  function decodeSlackEntities(text) {
    return String(text).replace(/&(amp|lt|gt);/g, (_, name) => ({ amp: '&', lt: '<', gt: '>' })[name]);
  }

  /** A few shortcodes the bot uses, so headers read as they do in Slack; unknown ones stay as written. */
  const EMOJI = {
    white_check_mark: '✅',
    heavy_check_mark: '✔️',
    x: '❌',
    warning: '⚠️',
    rotating_light: '🚨',
    red_circle: '🔴',
    large_green_circle: '🟢',
    large_yellow_circle: '🟡',
    large_orange_circle: '🟠',
    white_circle: '⚪',
    black_circle: '⚫',
    lock: '🔒',
    unlock: '🔓',
    key: '🔑',
    mag: '🔍',
    book: '📖',
    books: '📚',
    clipboard: '📋',
    memo: '📝',
    hourglass: '⌛',
    hourglass_flowing_sand: '⏳',
    stopwatch: '⏱️',
    bell: '🔔',
    mega: '📣',
    loudspeaker: '📢',
    telephone_receiver: '📞',
    phone: '📞',
    pager: '📟',
    fire: '🔥',
    rocket: '🚀',
    construction: '🚧',
    test_tube: '🧪',
    arrows_counterclockwise: '🔄',
    leftwards_arrow_with_hook: '↩️',
    arrow_right: '➡️',
    arrow_forward: '▶️',
    fast_forward: '⏩',
    no_entry: '⛔',
    no_entry_sign: '🚫',
    stop_sign: '🛑',
    question: '❓',
    grey_question: '❔',
    bulb: '💡',
    information_source: 'ℹ️',
    bar_chart: '📊',
    chart_with_upwards_trend: '📈',
    chart_with_downwards_trend: '📉',
    globe_with_meridians: '🌐',
    earth_africa: '🌍',
    cloud: '☁️',
    satellite: '📡',
    wrench: '🔧',
    hammer_and_wrench: '🛠️',
    gear: '⚙️',
    shield: '🛡️',
    busts_in_silhouette: '👥',
    bust_in_silhouette: '👤',
    eyes: '👀',
    thumbsup: '👍',
    '+1': '👍',
    thumbsdown: '👎',
    '-1': '👎',
    ok_hand: '👌',
    point_right: '👉',
    raised_hand: '✋',
    alarm_clock: '⏰',
    octagonal_sign: '🛑',
    page_facing_up: '📄',
    repeat: '🔁',
    scissors: '✂️',
    tada: '🎉',
    checkered_flag: '🏁',
    pushpin: '📌',
    link: '🔗',
    scroll: '📜',
    ballot_box_with_check: '☑️',
    white_large_square: '⬜',
    black_square_button: '🔲',
    radio_button: '🔘',
    large_blue_circle: '🔵',
    heavy_minus_sign: '➖',
    heavy_plus_sign: '➕',
    deciduous_tree: '🌳',
    evergreen_tree: '🌲',
    twisted_rightwards_arrows: '🔀',
    dart: '🎯',
    zap: '⚡',
    traffic_light: '🚥',
    vertical_traffic_light: '🚦',
    sos: '🆘',
    ambulance: '🚑',
  };

  function replaceEmoji(escaped) {
    return escaped.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole);
  }

  /** Plain text objects: no markup at all; emoji shortcodes only when `emoji` is not false. */
  function plainText(textObject) {
    if (!textObject) return '';
    if (typeof textObject === 'string') return textObject;
    const text = String(textObject.text ?? '');
    return textObject.emoji === false ? text : replaceEmoji(text);
  }

  // Placeholders stand for already-rendered HTML while the rest of the text is formatted; the delimiters
  // are private-use characters, removed from the input first so a payload cannot forge one.
  const OPEN = '\uE000';
  const CLOSE = '\uE001';
  const PLACEHOLDER = /\uE000(\d+)\uE001/g;
  // Characters that may stand next to a formatting mark (Slack requires a word boundary).
  const BEFORE = `(^|[\\s([{"'.,;:!?/>${CLOSE}-])`;
  const AFTER = `(?=$|[\\s)\\]}"'.,;:!?/<${OPEN}-])`;
  const FORMATS = [
    [new RegExp(`${BEFORE}\\*(?!\\s)([^*\\n]*?[^*\\s])\\*${AFTER}`, 'gm'), 'b'],
    [new RegExp(`${BEFORE}_(?!\\s)([^_\\n]*?[^_\\s])_${AFTER}`, 'gm'), 'i'],
    [new RegExp(`${BEFORE}~(?!\\s)([^~\\n]*?[^~\\s])~${AFTER}`, 'gm'), 's'],
  ];

  function safeHref(url) {
    return /^(https?:\/\/|mailto:)/i.test(url) ? url : null;
  }

  function linkHtml(url, label) {
    const href = safeHref(url);
    if (!href) return escapeHtml(label || url);
    return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(label || url)}</a>`;
  }

  function mentionHtml(label, kind) {
    return `<span class="bk-mention${kind ? ` bk-mention-${kind}` : ''}">${escapeHtml(label)}</span>`;
  }

  /** One `<…>` token of mrkdwn: mention, channel, special mention, date, or link. */
  function angleTokenHtml(inner, opts) {
    const bar = inner.indexOf('|');
    const head = decodeSlackEntities(bar < 0 ? inner : inner.slice(0, bar));
    const label = bar < 0 ? null : decodeSlackEntities(inner.slice(bar + 1));
    if (head.startsWith('@')) {
      const id = head.slice(1);
      const user = opts.users?.[id];
      return mentionHtml(`@${user?.name ?? label ?? id}`, 'user');
    }
    if (head.startsWith('#')) {
      const id = head.slice(1);
      return mentionHtml(`#${label ?? opts.channels?.[id]?.name ?? id}`, 'channel');
    }
    if (head.startsWith('!')) {
      const special = head.slice(1);
      if (['here', 'channel', 'everyone'].includes(special)) return mentionHtml(`@${special}`, 'broadcast');
      if (special.startsWith('subteam^')) return mentionHtml(label ?? `@${special.slice(8)}`, 'group');
      if (special.startsWith('date^')) return escapeHtml(label ?? special);
      return escapeHtml(label ?? special);
    }
    return linkHtml(head, label);
  }

  /**
   * Slack mrkdwn → HTML. Input is Slack message text (with `&amp; &lt; &gt;` escapes); output is safe to
   * assign to `innerHTML`: every character of the input is escaped unless it is part of recognised markup.
   */
  function mrkdwnToHtml(input, opts = {}) {
    const pieces = [];
    const hold = (html) => `${OPEN}${pieces.push(html) - 1}${CLOSE}`;
    let text = String(input ?? '').replace(/[\uE000\uE001]/g, '');

    // Code first: nothing inside a code span is formatted.
    text = text.replace(/```([\s\S]*?)```/g, (_, code) => {
      const body = decodeSlackEntities(code.replace(/^\n/, '').replace(/\n$/, ''));
      return `${OPEN}pre${pieces.push(`<pre class="bk-pre">${escapeHtml(body)}</pre>`) - 1}${CLOSE}`;
    });
    text = text.replace(/`([^`\n]+)`/g, (_, code) =>
      hold(`<code>${escapeHtml(decodeSlackEntities(code))}</code>`),
    );
    text = text.replace(/<([^<>\n]+)>/g, (_, inner) => hold(angleTokenHtml(inner, opts)));

    let html = replaceEmoji(escapeHtml(decodeSlackEntities(text)));
    for (const [pattern, tag] of FORMATS) html = html.replace(pattern, `$1<${tag}>$2</${tag}>`);

    html = blockquotes(html);
    // Block-level code sits on its own lines; the newlines around it would double the spacing.
    html = html.replace(/\n?\uE000pre(\d+)\uE001\n?/g, `${OPEN}$1${CLOSE}`);
    html = html.replace(/\n/g, '<br>');
    return html.replace(PLACEHOLDER, (_, i) => pieces[Number(i)]);
  }

  /** Lines starting with `>` (already escaped as `&gt;`) become one blockquote per run of lines. */
  function blockquotes(html) {
    const lines = html.split('\n');
    let out = '';
    for (let i = 0; i < lines.length; ) {
      const quoted = [];
      while (i < lines.length && /^&gt; ?/.test(lines[i])) quoted.push(lines[i++].replace(/^&gt; ?/, ''));
      // A quote is a block: no line break after it.
      if (quoted.length > 0) out += `<blockquote>${quoted.join('\n')}</blockquote>`;
      else out += lines[i++] + (i < lines.length ? '\n' : '');
    }
    return out;
  }

  /** CommonMark-ish text of a `markdown` block, rendered with the same safety as mrkdwn. */
  function markdownToHtml(input, opts = {}) {
    const text = String(input ?? '')
      .replace(/^#{1,6}\s+(.+)$/gm, '*$1*')
      .replace(/\*\*([^*\n]+)\*\*/g, '*$1*')
      .replace(/~~([^~\n]+)~~/g, '~$1~')
      .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, '<$2|$1>')
      .replace(/^\s*[-*]\s+/gm, '• ')
      .replace(/&/g, '&amp;');
    return mrkdwnToHtml(text, opts);
  }

  /** A text object (plain_text or mrkdwn) into an element, safely. */
  function fillText(el, textObject, opts) {
    if (!textObject) return el;
    if (textObject.type === 'mrkdwn') el.innerHTML = mrkdwnToHtml(textObject.text, opts);
    else el.textContent = plainText(textObject);
    return el;
  }

  // ---------------------------------------------------------------------------------------------------
  // DOM helpers

  function h(doc, tag, className, text) {
    const el = doc.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  /** Elements whose value belongs to `state.values` carry a reader, found by `collectState`. */
  function stateful(el, blockId, actionId, read) {
    el.classList.add('bk-stateful');
    el.dataset.blockId = blockId;
    el.dataset.actionId = actionId;
    el.bkRead = read;
    return el;
  }

  function collectState(container) {
    const values = {};
    for (const el of container.querySelectorAll('.bk-stateful')) {
      const { blockId, actionId } = el.dataset;
      if (!values[blockId]) values[blockId] = {};
      values[blockId][actionId] = el.bkRead();
    }
    return { values };
  }

  function optionsOf(element) {
    if (element.option_groups) return element.option_groups.flatMap((g) => g.options ?? []);
    return element.options ?? [];
  }

  function optionByValue(element, value) {
    return optionsOf(element).find((o) => o.value === value) ?? null;
  }

  // ---------------------------------------------------------------------------------------------------
  // Interactive elements

  function renderButton(doc, element, blockId, ctx) {
    const styleClass = element.style ? ` bk-btn-${element.style}` : '';
    const btn = h(doc, 'button', `bk-btn${styleClass}`, plainText(element.text));
    btn.type = 'button';
    btn.dataset.actionId = element.action_id ?? '';
    if (element.value !== undefined) btn.dataset.value = element.value;
    btn.addEventListener('click', async () => {
      if (element.confirm && ctx.confirm && !(await ctx.confirm(element.confirm))) return;
      if (element.url) ctx.openUrl?.(element.url);
      ctx.onAction?.(
        {
          type: 'button',
          action_id: element.action_id,
          block_id: blockId,
          text: element.text,
          value: element.value,
          style: element.style,
        },
        btn,
      );
    });
    return btn;
  }

  function renderSelect(doc, element, blockId, ctx, { fireOnChange }) {
    const select = h(doc, 'select', 'bk-select');
    select.dataset.actionId = element.action_id ?? '';
    const placeholder = h(doc, 'option', '', plainText(element.placeholder) || 'Select an option');
    placeholder.value = '';
    select.append(placeholder);
    const addOptions = (parent, options) => {
      for (const option of options ?? []) {
        const el = h(doc, 'option', '', plainText(option.text));
        el.value = option.value;
        parent.append(el);
      }
    };
    if (element.option_groups) {
      for (const group of element.option_groups) {
        const optgroup = h(doc, 'optgroup');
        optgroup.label = plainText(group.label);
        addOptions(optgroup, group.options);
        select.append(optgroup);
      }
    } else {
      addOptions(select, element.options);
    }
    if (element.initial_option) select.value = element.initial_option.value;
    const selected = () => optionByValue(element, select.value);
    stateful(select, blockId, element.action_id, () => ({ type: element.type, selected_option: selected() }));
    if (fireOnChange) {
      select.addEventListener('change', async () => {
        const option = selected();
        if (!option) return;
        if (element.confirm && ctx.confirm && !(await ctx.confirm(element.confirm))) {
          select.value = element.initial_option?.value ?? '';
          return;
        }
        ctx.onAction?.(
          { type: element.type, action_id: element.action_id, block_id: blockId, selected_option: option },
          select,
        );
      });
    }
    return select;
  }

  function renderOverflow(doc, element, blockId, ctx) {
    const select = renderSelect(
      doc,
      { ...element, type: 'overflow', placeholder: { type: 'plain_text', text: '⋯' } },
      blockId,
      ctx,
      { fireOnChange: true },
    );
    select.classList.add('bk-overflow');
    select.classList.remove('bk-stateful');
    return select;
  }

  function renderTextInput(doc, element, blockId) {
    const input = element.multiline ? h(doc, 'textarea', 'bk-input') : h(doc, 'input', 'bk-input');
    if (!element.multiline) input.type = 'text';
    input.placeholder = plainText(element.placeholder);
    if (element.initial_value !== undefined) input.value = element.initial_value;
    if (element.max_length) input.maxLength = element.max_length;
    return stateful(input, blockId, element.action_id, () => ({
      type: 'plain_text_input',
      value: input.value,
    }));
  }

  function renderChoices(doc, element, blockId, kind) {
    const box = h(doc, 'div', `bk-choices bk-${kind}`);
    const name = `${blockId}:${element.action_id}`;
    const initial = new Set(
      (kind === 'radio' ? [element.initial_option] : (element.initial_options ?? []))
        .filter(Boolean)
        .map((o) => o.value),
    );
    const inputs = [];
    for (const option of element.options ?? []) {
      const label = h(doc, 'label', 'bk-choice');
      const input = h(doc, 'input');
      input.type = kind === 'radio' ? 'radio' : 'checkbox';
      input.name = name;
      input.value = option.value;
      input.checked = initial.has(option.value);
      inputs.push(input);
      const text = fillText(h(doc, 'span'), option.text, {});
      label.append(input, text);
      box.append(label);
    }
    const picked = () => inputs.filter((i) => i.checked).map((i) => optionByValue(element, i.value));
    return stateful(box, blockId, element.action_id, () =>
      kind === 'radio'
        ? { type: 'radio_buttons', selected_option: picked()[0] ?? null }
        : { type: 'checkboxes', selected_options: picked() },
    );
  }

  function renderDatepicker(doc, element, blockId) {
    const input = h(doc, 'input', 'bk-input bk-date');
    input.type = 'date';
    if (element.initial_date) input.value = element.initial_date;
    return stateful(input, blockId, element.action_id, () => ({
      type: 'datepicker',
      selected_date: input.value || null,
    }));
  }

  function renderUserSelect(doc, element, blockId, ctx, fireOnChange) {
    const users = Object.entries(ctx.users ?? {}).map(([id, u]) => ({
      text: { type: 'plain_text', text: u.name },
      value: id,
    }));
    const asStatic = {
      ...element,
      options: users,
      initial_option: optionByValue({ options: users }, element.initial_user),
    };
    const select = renderSelect(doc, asStatic, blockId, ctx, { fireOnChange: false });
    select.bkRead = () => ({ type: 'users_select', selected_user: select.value || null });
    if (fireOnChange) {
      select.addEventListener('change', () =>
        ctx.onAction?.(
          {
            type: 'users_select',
            action_id: element.action_id,
            block_id: blockId,
            selected_user: select.value,
          },
          select,
        ),
      );
    }
    return select;
  }

  function renderImage(doc, element) {
    const img = h(doc, 'img', 'bk-image');
    if (safeHref(element.image_url ?? '')) img.src = element.image_url;
    img.alt = element.alt_text ?? '';
    return img;
  }

  /** Any block element; `inInput` means it lives in an input block (no action on change). */
  function renderElement(doc, element, blockId, ctx, inInput = false) {
    switch (element.type) {
      case 'button':
        return renderButton(doc, element, blockId, ctx);
      case 'static_select':
      case 'external_select':
        return renderSelect(doc, element, blockId, ctx, {
          fireOnChange: !inInput || element.dispatch_action,
        });
      case 'overflow':
        return renderOverflow(doc, element, blockId, ctx);
      case 'plain_text_input':
        return renderTextInput(doc, element, blockId);
      case 'radio_buttons':
        return renderChoices(doc, element, blockId, 'radio');
      case 'checkboxes':
        return renderChoices(doc, element, blockId, 'checkbox');
      case 'datepicker':
        return renderDatepicker(doc, element, blockId);
      case 'users_select':
        return renderUserSelect(doc, element, blockId, ctx, !inInput);
      case 'image':
        return renderImage(doc, element);
      default:
        return h(doc, 'span', 'bk-unsupported', `[${element.type}]`);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Rich text

  function richInline(doc, item, ctx) {
    switch (item.type) {
      case 'text': {
        const style = item.style ?? {};
        let el = doc.createTextNode(item.text ?? '');
        for (const [flag, tag] of [
          ['code', 'code'],
          ['strike', 's'],
          ['italic', 'i'],
          ['bold', 'b'],
        ]) {
          if (!style[flag]) continue;
          const wrap = h(doc, tag);
          wrap.append(el);
          el = wrap;
        }
        return el;
      }
      case 'link': {
        const href = safeHref(item.url ?? '');
        if (!href) return doc.createTextNode(item.text ?? item.url ?? '');
        const a = h(doc, 'a', '', item.text || item.url);
        a.href = href;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        return a;
      }
      case 'user':
        return h(
          doc,
          'span',
          'bk-mention bk-mention-user',
          `@${ctx.users?.[item.user_id]?.name ?? item.user_id}`,
        );
      case 'channel':
        return h(doc, 'span', 'bk-mention bk-mention-channel', `#${item.channel_id}`);
      case 'usergroup':
        return h(doc, 'span', 'bk-mention bk-mention-group', `@${item.usergroup_id}`);
      case 'broadcast':
        return h(doc, 'span', 'bk-mention bk-mention-broadcast', `@${item.range}`);
      case 'emoji':
        return doc.createTextNode(EMOJI[item.name] ?? `:${item.name}:`);
      default:
        return doc.createTextNode('');
    }
  }

  function richElement(doc, element, ctx) {
    const fill = (el) => {
      for (const item of element.elements ?? []) el.append(richInline(doc, item, ctx));
      return el;
    };
    switch (element.type) {
      case 'rich_text_section':
        return fill(h(doc, 'div', 'bk-rich-section'));
      case 'rich_text_preformatted':
        return fill(h(doc, 'pre', 'bk-pre'));
      case 'rich_text_quote':
        return fill(h(doc, 'blockquote'));
      case 'rich_text_list': {
        const list = h(doc, element.style === 'ordered' ? 'ol' : 'ul', 'bk-rich-list');
        if (element.indent) list.style.marginLeft = `${element.indent * 1.5}em`;
        for (const item of element.elements ?? []) {
          const li = h(doc, 'li');
          li.append(richElement(doc, item, ctx));
          list.append(li);
        }
        return list;
      }
      default:
        return h(doc, 'div');
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Blocks

  function renderBlock(doc, block, ctx) {
    const blockId = block.block_id ?? '';
    const wrap = h(doc, 'div', `bk-block bk-${block.type}`);
    if (blockId) wrap.dataset.blockId = blockId;
    switch (block.type) {
      case 'header':
        wrap.append(h(doc, 'h3', 'bk-header-text', plainText(block.text)));
        break;
      case 'section': {
        const body = h(doc, 'div', 'bk-section-body');
        if (block.text) body.append(fillText(h(doc, 'div', 'bk-section-text'), block.text, ctx));
        if (block.fields?.length) {
          const grid = h(doc, 'div', 'bk-fields');
          for (const field of block.fields) grid.append(fillText(h(doc, 'div', 'bk-field'), field, ctx));
          body.append(grid);
        }
        wrap.append(body);
        if (block.accessory) {
          const accessory = h(doc, 'div', 'bk-accessory');
          accessory.append(renderElement(doc, block.accessory, blockId, ctx));
          wrap.append(accessory);
        }
        break;
      }
      case 'context':
        for (const element of block.elements ?? []) {
          if (element.type === 'image') wrap.append(renderImage(doc, element));
          else wrap.append(fillText(h(doc, 'span', 'bk-context-item'), element, ctx));
        }
        break;
      case 'divider':
        wrap.append(h(doc, 'hr'));
        break;
      case 'actions':
        for (const element of block.elements ?? []) wrap.append(renderElement(doc, element, blockId, ctx));
        break;
      case 'image':
        if (block.title) wrap.append(h(doc, 'div', 'bk-image-title', plainText(block.title)));
        wrap.append(renderImage(doc, block));
        break;
      case 'input': {
        const label = h(doc, 'label', 'bk-input-label', plainText(block.label));
        if (block.optional) label.append(h(doc, 'span', 'bk-optional', ' (optional)'));
        wrap.append(label, renderElement(doc, block.element ?? {}, blockId, ctx, true));
        if (block.hint) wrap.append(h(doc, 'div', 'bk-hint', plainText(block.hint)));
        const error = ctx.errors?.[blockId];
        if (error) wrap.append(h(doc, 'div', 'bk-error', error));
        break;
      }
      case 'rich_text':
        for (const element of block.elements ?? []) wrap.append(richElement(doc, element, ctx));
        break;
      case 'markdown': {
        const body = h(doc, 'div', 'bk-markdown');
        body.innerHTML = markdownToHtml(block.text, ctx);
        wrap.append(body);
        break;
      }
      case 'table': {
        const table = h(doc, 'table', 'bk-table');
        for (const [r, row] of (block.rows ?? []).entries()) {
          const tr = h(doc, 'tr');
          for (const cell of row) {
            const td = h(doc, r === 0 ? 'th' : 'td');
            if (cell.type === 'rich_text') {
              for (const element of cell.elements ?? []) td.append(richElement(doc, element, ctx));
            } else {
              td.textContent = cell.text ?? '';
            }
            tr.append(td);
          }
          table.append(tr);
        }
        wrap.append(table);
        break;
      }
      default:
        wrap.append(h(doc, 'span', 'bk-unsupported', `[unsupported block: ${block.type}]`));
    }
    return wrap;
  }

  /**
   * Render a message or view's blocks. `ctx`: { users, channels, onAction(action, element), confirm(confirm)
   * → Promise<boolean>, openUrl(url), errors: { [block_id]: message } }.
   */
  function renderBlocks(doc, blocks, ctx = {}) {
    const root = h(doc, 'div', 'bk-blocks');
    for (const block of blocks ?? []) root.append(renderBlock(doc, block, ctx));
    return root;
  }

  /** A message's body: its blocks, or its fallback `text` as mrkdwn when it has none. */
  function renderMessageBody(doc, message, ctx = {}) {
    if (message.blocks?.length) return renderBlocks(doc, message.blocks, ctx);
    const root = h(doc, 'div', 'bk-blocks');
    const body = h(doc, 'div', 'bk-block bk-fallback');
    body.innerHTML = mrkdwnToHtml(message.text ?? '', ctx);
    root.append(body);
    return root;
  }

  /** A confirm dialog object → { title, text (HTML-safe element), confirm, deny, style }. */
  function renderConfirm(doc, confirm, ctx = {}) {
    const box = h(doc, 'div', 'bk-confirm');
    box.append(h(doc, 'h3', 'bk-confirm-title', plainText(confirm.title) || 'Are you sure?'));
    box.append(fillText(h(doc, 'div', 'bk-confirm-text'), confirm.text, ctx));
    const buttons = h(doc, 'div', 'bk-confirm-buttons');
    const deny = h(doc, 'button', 'bk-btn', plainText(confirm.deny) || 'Cancel');
    deny.type = 'button';
    deny.dataset.role = 'deny';
    const ok = h(
      doc,
      'button',
      `bk-btn bk-btn-${confirm.style ?? 'primary'}`,
      plainText(confirm.confirm) || 'Yes',
    );
    ok.type = 'button';
    ok.dataset.role = 'confirm';
    buttons.append(deny, ok);
    box.append(buttons);
    return box;
  }

  return {
    escapeHtml,
    decodeSlackEntities,
    plainText,
    mrkdwnToHtml,
    markdownToHtml,
    renderBlocks,
    renderMessageBody,
    renderConfirm,
    collectState,
  };
});
