/**
 * Mirrors what the bot does to the fake Slack (src/local/slack-web-api.ts) onto the playground timeline:
 * posted, updated and deleted messages, and modals opened, pushed or updated. Modals are shown to the user
 * whose `trigger_id` opened them, as Slack does.
 */
import type { FakeCall, FakeHome, FakeSlack, MessageEvent, ViewEvent } from '../local/slack-web-api';
import type { ViewObject } from './payloads';
import type { Timeline } from './timeline';
import { DEMO_USERS } from './users';

export interface BridgeOptions {
  fake: FakeSlack;
  timeline: Timeline;
  /** trigger_id → user, filled in as the playground issues them. */
  triggers: Map<string, string>;
  botUserId: string;
}

export function bridgeFakeSlack({ fake, timeline, triggers, botUserId }: BridgeOptions): () => void {
  // views.open/views.push emit `call` and then `view` synchronously: remember whose trigger it was.
  let viewOwner: string | undefined;

  const onCall = (call: FakeCall) => {
    if (call.method === 'views.open' || call.method === 'views.push') {
      viewOwner = triggers.get(String(call.args.trigger_id ?? ''));
    }
  };

  const onMessage = ({ type, message }: MessageEvent) => {
    if (type === 'deleted') {
      timeline.remove(message.ts);
    } else if (type === 'updated') {
      timeline.update(message.ts, {
        text: message.text ?? '',
        ...(message.blocks ? { blocks: message.blocks } : {}),
      });
    } else {
      timeline.add({
        channel: message.channel,
        ts: message.ts,
        user: botUserId,
        bot: true,
        text: message.text ?? '',
        kind: 'message',
        ...(message.blocks ? { blocks: message.blocks } : {}),
        ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
        ...(message.visibleTo ? { ephemeral_to: message.visibleTo } : {}),
        ...(message.files ? { files: message.files } : {}),
      });
    }
  };

  const onView = ({ type, view }: ViewEvent) => {
    const content = { ...view.view, id: view.id } as ViewObject;
    if (type === 'updated') {
      timeline.updateView({ viewId: view.id }, content);
      return;
    }
    const user = viewOwner;
    viewOwner = undefined;
    if (!user) {
      timeline.notice(
        `${type === 'opened' ? 'views.open' : 'views.push'} was called with an unknown or expired trigger_id`,
      );
      return;
    }
    view.user = user;
    if (type === 'opened') timeline.openView(user, content);
    else timeline.pushView(user, content);
  };

  const onHome = (home: FakeHome) => {
    timeline.setHome(home.user, { ...home.view, id: home.id, hash: home.hash } as ViewObject);
  };

  // The bot may look people up; answer with the demo users rather than the fake's placeholders.
  fake.handleMethod('users.info', (args) => {
    const user = DEMO_USERS.find((u) => u.id === args.user);
    if (!user) return undefined;
    return {
      ok: true,
      user: {
        id: user.id,
        name: user.handle,
        real_name: user.name,
        tz: 'Europe/London',
        is_bot: false,
        profile: { real_name: user.name, display_name: user.handle, title: user.title },
      },
    };
  });

  fake.on('call', onCall);
  fake.on('message', onMessage);
  fake.on('view', onView);
  fake.on('home', onHome);
  return () => {
    fake.off('call', onCall);
    fake.off('message', onMessage);
    fake.off('view', onView);
    fake.off('home', onHome);
  };
}
