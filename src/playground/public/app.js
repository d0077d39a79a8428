/**
 * The playground page: a Slack-like channel for the bot. Everything the bot does arrives as Server-Sent
 * Events from /api/events (a snapshot first, then each change); everything the user does is a small JSON
 * POST to /api/*, which the server turns into a request signed as Slack signs it.
 */
(() => {
  const { renderMessageBody, renderBlocks, renderConfirm, collectState, plainText } = window.BlockKit;
  const $ = (id) => document.getElementById(id);

  const state = {
    users: [],
    usersById: {},
    channels: [],
    bot: { id: '', name: 'Runbook bot' },
    examples: [],
    me: '',
    channel: '',
    /** What the main pane shows: a channel, the person's DMs with the bot, or the bot's Home tab for them. */
    surface: 'channel',
    /** user id → the DM channel between the bot and them. */
    dmChannels: {},
    /** user id → the Home tab the bot published for them. */
    homes: {},
    /** ts → message, in arrival order (Map keeps insertion order). */
    messages: new Map(),
    /** user id → stack of open views (last is on top). */
    views: {},
    /** view id → { block_id: message } from the last submit. */
    viewErrors: {},
    openThread: null,
    /** Channels with messages the current user has not looked at. */
    unread: new Set(),
    /** Scroll to the newest message on the next render (after the user sent something). */
    stickToBottom: false,
  };

  // -------------------------------------------------------------------------------------------------
  // Server calls

  async function post(path, body) {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok || json.ok === false) toast(json.error || `${path} failed (${res.status})`);
    return json;
  }

  function toast(text) {
    const el = $('toast');
    el.textContent = text;
    el.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => {
      el.hidden = true;
    }, 6000);
  }

  // -------------------------------------------------------------------------------------------------
  // Rendering helpers

  function h(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function initials(name) {
    return name
      .split(/\s+/)
      .map((w) => w[0] ?? '')
      .join('')
      .slice(0, 2)
      .toUpperCase();
  }

  function formatTime(ts) {
    const date = new Date(Number(String(ts).split('.')[0]) * 1000);
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function blockCtx(target) {
    return {
      users: state.usersById,
      channels: Object.fromEntries(state.channels.map((c) => [c.id, c])),
      confirm: showConfirm,
      openUrl: (url) => {
        // A permalink of this pretend workspace (chat.getPermalink of the fake Slack): go to the channel.
        const permalink = /^https:\/\/fake\.slack\.test\/archives\/([A-Z0-9]+)\/p\d+$/.exec(url);
        if (permalink && state.channels.some((c) => c.id === permalink[1])) {
          state.channel = permalink[1];
          state.surface = 'channel';
          state.stickToBottom = true;
          renderAll();
          return;
        }
        window.open(url, '_blank', 'noopener');
      },
      onAction: (action, el) => sendAction(target, action, el),
    };
  }

  function visibleToMe(message) {
    return !message.ephemeral_to || message.ephemeral_to === state.me;
  }

  function isReply(message) {
    return message.thread_ts && message.thread_ts !== message.ts;
  }

  function repliesOf(ts) {
    return [...state.messages.values()].filter((m) => m.thread_ts === ts && m.ts !== ts && visibleToMe(m));
  }

  function renderMessage(message, { inThread = false } = {}) {
    const el = h('div', 'msg');
    el.dataset.ts = message.ts;
    if (message.ephemeral_to) el.classList.add('msg-ephemeral');
    if (message.kind === 'command') el.classList.add('msg-command');

    const author = message.bot ? state.bot : state.usersById[message.user];
    const name = author?.name ?? message.user ?? 'unknown';
    const avatar = h('div', `avatar${message.bot ? ' avatar-bot' : ''}`, message.bot ? '📖' : initials(name));
    if (author?.color && !message.bot) avatar.style.background = author.color;
    el.append(avatar);

    const main = h('div', 'msg-main');
    const meta = h('div', 'msg-meta');
    meta.append(h('span', 'msg-author', name));
    if (message.bot) meta.append(h('span', 'app-badge', 'APP'));
    meta.append(h('span', 'msg-time', formatTime(message.ts)));
    if (message.edited) meta.append(h('span', 'msg-edited', '(edited)'));
    main.append(meta);

    if (message.kind === 'command') {
      const line = h('div', 'command-line');
      line.append('used ', h('code', '', message.text));
      main.append(line);
    } else {
      main.append(renderMessageBody(document, message, blockCtx({ message })));
      for (const file of message.files ?? []) main.append(renderFile(file));
    }

    if (message.ephemeral_to) {
      const note = h('div', 'ephemeral-note');
      note.append(h('span', '', '👁 Only visible to you'));
      const dismiss = h('button', 'link-btn', 'Dismiss');
      dismiss.type = 'button';
      dismiss.addEventListener('click', () => {
        state.messages.delete(message.ts);
        renderChannel();
      });
      note.append(dismiss);
      main.append(note);
    }

    if (!inThread && !isReply(message)) {
      const replies = repliesOf(message.ts);
      if (replies.length > 0) {
        const link = h(
          'button',
          'thread-link',
          `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`,
        );
        link.type = 'button';
        link.addEventListener('click', () => openThread(message.ts));
        main.append(link);
      }
    }
    el.append(main);
    return el;
  }

  const openFiles = new Set();

  /** A shared file as Slack previews a text file: its name, and its content one click away (as text). */
  function renderFile(file) {
    const box = h('details', 'msg-file');
    box.dataset.fileId = file.id;
    // The thread re-renders on every message: a file someone opened stays open.
    box.open = openFiles.has(file.id);
    box.addEventListener('toggle', () => {
      if (box.open) openFiles.add(file.id);
      else openFiles.delete(file.id);
    });
    const summary = h('summary', 'msg-file-name');
    summary.append(h('span', 'msg-file-icon', '📄'), h('span', '', file.name));
    summary.append(h('span', 'msg-file-size', `${file.size.toLocaleString('en')} bytes`));
    box.append(summary, h('pre', 'msg-file-text', file.text));
    return box;
  }

  /** The channel the main pane shows: the selected channel, or the DM with the bot. */
  function shownChannel() {
    return state.surface === 'dm' ? state.dmChannels[state.me] : state.channel;
  }

  function isDm(channelId) {
    return Object.values(state.dmChannels).includes(channelId);
  }

  function renderChannel() {
    const list = $('messages');
    const onHome = state.surface === 'home';
    list.hidden = onHome;
    $('home').hidden = !onHome;
    $('composer-form').hidden = state.surface !== 'channel';
    if (onHome) {
      renderHome();
      renderThread();
      return;
    }
    const atBottom = state.stickToBottom || list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    list.replaceChildren();
    for (const message of state.messages.values()) {
      if (message.channel !== shownChannel() || !visibleToMe(message)) continue;
      if (isReply(message) && !message.reply_broadcast) continue;
      list.append(renderMessage(message));
    }
    if (list.childElementCount === 0) {
      const empty = h('div', 'empty');
      if (state.surface === 'dm') {
        empty.append(
          h('p', '', 'No messages from the bot yet. When a gate you can sign opens, it asks you here.'),
        );
      } else {
        empty.append(h('p', '', 'Nothing here yet. Try one of these:'));
        empty.append(examplesRow());
      }
      list.append(empty);
    }
    if (atBottom) list.scrollTop = list.scrollHeight;
    state.stickToBottom = false;
    renderThread();
  }

  /** Re-render one message in place (chat.update) without touching the rest of the channel. */
  /** Run a change to the page; if the channel was scrolled to its end, keep it there (as Slack does). */
  function keepingBottom(change) {
    const list = $('messages');
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    change();
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  function rerenderMessage(message) {
    keepingBottom(() => {
      const selector = `.msg[data-ts="${CSS.escape(message.ts)}"]`;
      for (const el of document.querySelectorAll(selector)) {
        el.replaceWith(renderMessage(message, { inThread: Boolean(el.closest('#thread')) }));
      }
    });
  }

  function openThread(ts) {
    state.openThread = ts;
    keepingBottom(renderThread);
  }

  function renderThread() {
    const pane = $('thread');
    const parent = state.openThread && state.messages.get(state.openThread);
    if (!parent) {
      pane.hidden = true;
      return;
    }
    pane.hidden = false;
    const list = $('thread-messages');
    list.replaceChildren(renderMessage(parent, { inThread: true }));
    const replies = repliesOf(parent.ts);
    list.append(h('div', 'thread-count', `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`));
    for (const reply of replies) list.append(renderMessage(reply, { inThread: true }));
  }

  /** The bot's Home tab for the person selected, as it last published it. */
  function renderHome() {
    const pane = $('home');
    const view = state.homes[state.me];
    pane.replaceChildren();
    if (!view) {
      pane.append(h('p', 'home-empty', 'Opening the Home tab…'));
      return;
    }
    pane.append(renderBlocks(document, view.blocks ?? [], blockCtx({ home: true })));
  }

  function openHome() {
    post('/api/home-opened', { user: state.me });
  }

  /** The workspace's channels, plus any other channel the bot has posted to (not the DMs). */
  function allChannels() {
    const known = new Set(state.channels.map((c) => c.id));
    const extra = [];
    for (const message of state.messages.values()) {
      if (known.has(message.channel) || isDm(message.channel)) continue;
      known.add(message.channel);
      extra.push({ id: message.channel, name: message.channel, topic: 'A channel the bot posted to.' });
    }
    return [...state.channels, ...extra];
  }

  function renderSidebar() {
    const channels = $('channels');
    channels.replaceChildren();
    for (const channel of allChannels()) {
      const li = h('li');
      const classes = ['channel-btn'];
      if (state.surface === 'channel' && channel.id === state.channel) classes.push('active');
      if (state.unread.has(channel.id)) classes.push('unread');
      const btn = h('button', classes.join(' '), `# ${channel.name}`);
      btn.type = 'button';
      btn.dataset.channel = channel.id;
      btn.addEventListener('click', () => {
        state.channel = channel.id;
        state.surface = 'channel';
        state.unread.delete(channel.id);
        state.openThread = null;
        state.stickToBottom = true;
        renderAll();
      });
      li.append(btn);
      channels.append(li);
    }

    const users = $('users');
    users.replaceChildren();
    for (const user of state.users) {
      const li = h('li');
      const btn = h('button', `user-btn${user.id === state.me ? ' active' : ''}`);
      btn.type = 'button';
      btn.dataset.user = user.id;
      btn.setAttribute('aria-pressed', String(user.id === state.me));
      const avatar = h('span', 'avatar avatar-small', initials(user.name));
      avatar.style.background = user.color;
      const text = h('span', 'user-text');
      text.append(h('span', 'user-name', user.name), h('span', 'user-title', user.title));
      btn.append(avatar, text);
      btn.addEventListener('click', () => switchUser(user.id));
      li.append(btn);
      users.append(li);
    }

    for (const btn of document.querySelectorAll('#app-nav .channel-btn')) {
      const surface = btn.dataset.surface;
      btn.classList.toggle('active', state.surface === surface);
      btn.classList.toggle('unread', surface === 'dm' && state.unread.has(state.dmChannels[state.me]));
    }

    const channel = allChannels().find((c) => c.id === state.channel);
    if (state.surface === 'home') {
      $('channel-title').textContent = 'Runbook · Home';
      $('channel-topic').textContent = 'What waits for your signature, your runs, the runbooks.';
      return;
    }
    if (state.surface === 'dm') {
      $('channel-title').textContent = 'Runbook · Messages';
      $('channel-topic').textContent = 'Your direct messages from the bot: approvals and reminders.';
      return;
    }
    $('channel-title').textContent = `# ${channel?.name ?? ''}`;
    $('channel-topic').textContent = channel?.topic ?? '';
    const me = state.usersById[state.me];
    $('composer').placeholder = `Message #${channel?.name ?? ''} as ${me?.name ?? ''} — try /runbook help`;
  }

  function examplesRow() {
    const row = h('div', 'examples');
    for (const example of state.examples) {
      const chip = h('button', 'chip', example);
      chip.type = 'button';
      chip.addEventListener('click', () => {
        $('composer').value = example;
        $('composer').focus();
      });
      row.append(chip);
    }
    return row;
  }

  function renderAll() {
    renderSidebar();
    renderChannel();
    renderModal();
  }

  function switchUser(id) {
    state.me = id;
    if (state.surface === 'home') openHome();
    try {
      localStorage.setItem('playground.user', id);
    } catch {
      // Storage can be unavailable (private mode); the choice just is not remembered.
    }
    renderAll();
  }

  // -------------------------------------------------------------------------------------------------
  // Modals and confirm dialogs

  let shownView = null;

  function topView() {
    const stack = state.views[state.me] ?? [];
    return stack[stack.length - 1] ?? null;
  }

  function renderModal() {
    const overlay = $('overlay');
    const view = topView();
    const key = view
      ? `${view.id}:${view.hash ?? ''}:${JSON.stringify(state.viewErrors[view.id] ?? {})}`
      : null;
    if (key === shownView && (view !== null) === !overlay.hidden) return;
    shownView = key;
    overlay.replaceChildren();
    overlay.hidden = !view;
    if (!view) return;

    const modal = h('form', 'modal');
    modal.dataset.viewId = view.id;
    modal.setAttribute('role', 'dialog');
    modal.setAttribute('aria-label', plainText(view.title));
    const header = h('header', 'modal-header');
    header.append(h('h2', 'modal-title', plainText(view.title)));
    const x = h('button', 'icon-btn', '✕');
    x.type = 'button';
    x.setAttribute('aria-label', 'Close');
    x.addEventListener('click', () => closeView(view));
    header.append(x);
    modal.append(header);

    const ctx = { ...blockCtx({ view }), errors: state.viewErrors[view.id] ?? {} };
    const body = h('div', 'modal-body');
    body.append(renderBlocks(document, view.blocks, ctx));
    modal.append(body);

    const footer = h('footer', 'modal-footer');
    const close = h('button', 'bk-btn', plainText(view.close) || 'Cancel');
    close.type = 'button';
    close.addEventListener('click', () => closeView(view));
    footer.append(close);
    if (view.submit) {
      const submit = h('button', 'bk-btn bk-btn-primary modal-submit', plainText(view.submit));
      submit.type = 'submit';
      footer.append(submit);
    }
    modal.append(footer);
    modal.addEventListener('submit', async (event) => {
      event.preventDefault();
      const result = await post('/api/view-submit', {
        user: state.me,
        view_id: view.id,
        state: collectState(modal),
      });
      state.viewErrors[view.id] = result.errors ?? {};
      shownView = null;
      renderModal();
    });
    overlay.append(modal);
  }

  function closeView(view) {
    post('/api/view-close', { user: state.me, view_id: view.id });
  }

  function showConfirm(confirm) {
    return new Promise((resolve) => {
      const layer = h('div', 'confirm-layer');
      const box = renderConfirm(document, confirm, { users: state.usersById });
      box.setAttribute('role', 'alertdialog');
      layer.append(box);
      const done = (ok) => {
        layer.remove();
        resolve(ok);
      };
      box.querySelector('[data-role="deny"]').addEventListener('click', () => done(false));
      box.querySelector('[data-role="confirm"]').addEventListener('click', () => done(true));
      document.body.append(layer);
      box.querySelector('[data-role="confirm"]').focus();
    });
  }

  // -------------------------------------------------------------------------------------------------
  // User actions

  async function sendAction(target, action, el) {
    const container = el.closest('.msg, .modal, .home');
    const body = { user: state.me, action, state: container ? collectState(container) : { values: {} } };
    if (target.home) body.home = true;
    else if (target.view) body.view_id = target.view.id;
    else body.message_ts = target.message.ts;
    await post('/api/action', body);
  }

  async function sendCommand(text) {
    const trimmed = text.trim();
    if (!trimmed) return;
    state.stickToBottom = true;
    if (!trimmed.startsWith('/')) {
      await post('/api/message', { user: state.me, channel: state.channel, text: trimmed });
      return;
    }
    await post('/api/command', { user: state.me, channel: state.channel, text: trimmed });
  }

  $('composer-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('composer');
    const text = input.value;
    input.value = '';
    sendCommand(text);
  });

  $('thread-close').addEventListener('click', () => {
    state.openThread = null;
    renderThread();
  });

  for (const btn of document.querySelectorAll('#app-nav .channel-btn')) {
    btn.addEventListener('click', () => {
      state.surface = btn.dataset.surface;
      state.openThread = null;
      state.stickToBottom = true;
      if (state.surface === 'dm') state.unread.delete(state.dmChannels[state.me]);
      if (state.surface === 'home') openHome();
      renderAll();
    });
  }

  for (const btn of document.querySelectorAll('.clock-btn')) {
    btn.addEventListener('click', () => post('/api/clock', { minutes: Number(btn.dataset.minutes) }));
  }

  function renderClock(clock) {
    if (!clock) return;
    const time = new Date(clock.now).toISOString().slice(11, 16);
    $('clock-text').textContent =
      clock.offsetMinutes > 0 ? `clock: ${time} UTC (+${clock.offsetMinutes} min)` : `clock: ${time} UTC`;
  }

  $('scenario').addEventListener('change', (event) =>
    post('/api/scenario', { scenario: event.target.value }),
  );

  // CloudWatch's side of an alarm (infra/dr.yaml's alarms): the server notifies the bot as SNS would.
  const sendAlarm = (to) => post('/api/alarm', { alarm: $('alarm').value, state: to });
  $('alarm-raise').addEventListener('click', () => sendAlarm('ALARM'));
  $('alarm-ok').addEventListener('click', () => sendAlarm('OK'));
  $('alarm').addEventListener('change', () => renderAlarmState());

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const layer = document.querySelector('.confirm-layer');
    if (layer) layer.querySelector('[data-role="deny"]').click();
    else if (topView()) closeView(topView());
  });

  // -------------------------------------------------------------------------------------------------
  // Server events

  /** `?as=bob` (handle or ID) picks the user, so two windows can be two people; else the last one used. */
  function initialUser(users) {
    const wanted = new URLSearchParams(location.search).get('as')?.toLowerCase();
    const byParam = users.find((u) => u.id.toLowerCase() === wanted || u.handle === wanted);
    if (byParam) return byParam.id;
    let remembered = null;
    try {
      remembered = localStorage.getItem('playground.user');
    } catch {
      // See switchUser.
    }
    return users.some((u) => u.id === remembered) ? remembered : users[0].id;
  }

  function applySnapshot(snapshot) {
    state.users = snapshot.users;
    state.usersById = Object.fromEntries(snapshot.users.map((u) => [u.id, u]));
    state.channels = snapshot.channels;
    state.bot = snapshot.bot;
    state.examples = snapshot.examples ?? [];
    state.messages = new Map(snapshot.messages.map((m) => [m.ts, m]));
    state.views = snapshot.views ?? {};
    state.homes = snapshot.homes ?? {};
    state.dmChannels = snapshot.dmChannels ?? {};
    renderClock(snapshot.clock);
    if (!state.usersById[state.me]) state.me = initialUser(snapshot.users);
    if (!state.channels.some((c) => c.id === state.channel)) state.channel = snapshot.channels[0].id;
    renderAws(snapshot.aws);
    renderAlarms(snapshot.alarms ?? []);
    shownView = null;
    renderAll();
    document.body.dataset.ready = 'true';
  }

  function renderAws(aws) {
    // Always shown: which AWS this page drives, simulated or live, is the first thing to know.
    const box = $('aws');
    box.hidden = !aws;
    if (!aws) return;
    box.dataset.mode = aws.simulated ? 'simulated' : 'live';
    $('aws-badge').textContent = aws.simulated ? 'SIMULATED AWS' : 'LIVE AWS';
    $('scenario-label').hidden = !aws.simulated;
    if (!aws.simulated) {
      box.title =
        'PLAYGROUND_LIVE_AWS=1: AWS calls use the credentials of the server’s environment. Changes are real.';
      return;
    }
    const select = $('scenario');
    select.replaceChildren();
    for (const scenario of aws.scenarios) {
      const option = h('option', '', scenario.label);
      option.value = scenario.id;
      select.append(option);
    }
    select.value = aws.scenario;
    box.title = aws.description ?? 'AWS calls are answered by a simulator: nothing touches a real account.';
  }

  function renderAlarms(alarms) {
    state.alarms = alarms;
    $('alarms').hidden = alarms.length === 0;
    const select = $('alarm');
    const chosen = select.value;
    select.replaceChildren();
    for (const alarm of alarms) {
      const option = h('option', '', alarm.fullName);
      option.value = alarm.name;
      option.title = alarm.description;
      select.append(option);
    }
    if (alarms.some((a) => a.name === chosen)) select.value = chosen;
    renderAlarmState();
  }

  function renderAlarmState() {
    const alarm = (state.alarms ?? []).find((a) => a.name === $('alarm').value);
    const shown = $('alarm-state');
    shown.textContent = alarm ? `State: ${alarm.state}` : '';
    shown.dataset.state = alarm?.state ?? '';
    $('alarm-raise').disabled = !alarm || alarm.state === 'ALARM';
    $('alarm-ok').disabled = !alarm || alarm.state === 'OK';
  }

  function connect() {
    const events = new EventSource('/api/events');
    events.addEventListener('open', () => {
      $('connection').hidden = true;
    });
    events.addEventListener('error', () => {
      $('connection').hidden = false;
    });
    events.addEventListener('snapshot', (e) => applySnapshot(JSON.parse(e.data)));
    events.addEventListener('message', (e) => {
      const message = JSON.parse(e.data);
      const known = state.messages.has(message.ts);
      state.messages.set(message.ts, message);
      if (known) {
        rerenderMessage(message);
        renderThread();
        return;
      }
      const mine = !isDm(message.channel) || message.channel === state.dmChannels[state.me];
      if (mine && message.channel !== shownChannel() && visibleToMe(message))
        state.unread.add(message.channel);
      renderSidebar();
      renderChannel();
    });
    events.addEventListener('delete', (e) => {
      const { ts } = JSON.parse(e.data);
      state.messages.delete(ts);
      renderChannel();
    });
    events.addEventListener('views', (e) => {
      const { user, stack } = JSON.parse(e.data);
      state.views[user] = stack;
      renderModal();
    });
    events.addEventListener('aws', (e) => renderAws(JSON.parse(e.data)));
    events.addEventListener('home', (e) => {
      const { user, view } = JSON.parse(e.data);
      state.homes[user] = view;
      if (user === state.me && state.surface === 'home') renderHome();
    });
    events.addEventListener('clock', (e) => renderClock(JSON.parse(e.data)));
    events.addEventListener('alarms', (e) => renderAlarms(JSON.parse(e.data)));
    events.addEventListener('notice', (e) => {
      const { user, text } = JSON.parse(e.data);
      if (!user || user === state.me) toast(text);
    });
  }

  connect();
})();
