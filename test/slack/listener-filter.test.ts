import {
  type App,
  onlyActions,
  onlyCommands,
  onlyEvents,
  onlyOptions,
  onlyShortcuts,
  onlyViewActions,
} from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { listenerAdmits, narrowListeners } from '../../src/slack/listener-filter';

const FILTERS = { onlyActions, onlyCommands, onlyOptions, onlyShortcuts, onlyViewActions, onlyEvents };
const ARGS: Record<string, Record<string, unknown>> = {
  command: { command: { command: '/runbook' }, body: {} },
  action: { action: { action_id: 'x' }, body: {} },
  view: { view: { id: 'V1' }, body: {} },
  shortcut: { shortcut: { callback_id: 's' }, body: {} },
  options: { options: { action_id: 'o' }, body: {} },
  event: { event: { type: 'app_home_opened' }, body: {} },
};

/** What Bolt's own filter does with these arguments: whether it calls next(). */
async function boltAdmits(filter: (a: never) => Promise<void>, args: Record<string, unknown>) {
  let called = false;
  await filter({
    ...args,
    next: async () => {
      called = true;
    },
  } as never);
  return called;
}

describe('listenerAdmits', () => {
  it('agrees with Bolt’s type filters on every kind of request', async () => {
    for (const [name, filter] of Object.entries(FILTERS))
      for (const [kind, args] of Object.entries(ARGS))
        expect(listenerAdmits([filter, () => {}], args), `${name} / ${kind}`).toBe(
          await boltAdmits(filter as never, args),
        );
  });

  it('keeps a listener whose chain does not start with a type filter', () => {
    expect(listenerAdmits([async () => {}], ARGS.command!)).toBe(true);
    expect(listenerAdmits([], ARGS.command!)).toBe(true);
  });
});

describe('narrowListeners', () => {
  it('shows next() only the admitted listeners, then restores the full list', async () => {
    const command = [onlyCommands, () => {}];
    const action = [onlyActions, () => {}];
    const other = [async () => {}];
    const fake = {
      listeners: [command, action, other],
      middleware: [] as Array<(a: Record<string, unknown>) => Promise<void>>,
      use(fn: (a: Record<string, unknown>) => Promise<void>) {
        this.middleware.push(fn);
      },
    };
    narrowListeners(fake as unknown as App);
    let seen: unknown[] = [];
    await fake.middleware[0]!({
      ...ARGS.command,
      next: async () => {
        seen = fake.listeners;
      },
    });
    expect(seen).toEqual([command, other]);
    expect(fake.listeners).toEqual([command, action, other]);

    // A failing chain still restores the list.
    await expect(
      fake.middleware[0]!({
        ...ARGS.action,
        next: () => {
          throw new Error('boom');
        },
      }),
    ).rejects.toThrow('boom');
    expect(fake.listeners).toEqual([command, action, other]);
  });
});
