/**
 * The lazily loaded features (src/slack/features/index.ts): each manifest must declare exactly what its
 * module's feature does (subcommands, listener IDs, deferred kinds), or a button, modal or task would go
 * unanswered until something else loaded the module. Also: the stand-ins delegate with Bolt's arguments
 * unchanged, a deferred task loads its feature first, and the lazy search answers as the eager one.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createLazySearch } from '../../src/runbooks/search/lazy';
import { createSearch } from '../../src/runbooks/search/search';
import { hasDeferred, registerDeferred, runDeferred } from '../../src/slack/deferred';
import { type AppDeps, createDeps } from '../../src/slack/deps';
import type { Feature } from '../../src/slack/feature';
import { lazyManifests } from '../../src/slack/features/index';
import {
  type LazyFeatureManifest,
  lazyFeature,
  loadLazyFeature,
  recordListeners,
  sameListenerId,
} from '../../src/slack/lazy-feature';
import { createMemoryLogger } from '../../src/slack/logger';
import { loadTestArtifact, openSplitInMemory } from '../helpers/artifact';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/slack-bot';

const fakeDeps = async (): Promise<AppDeps> =>
  createDeps(
    loadConfig({
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_BOT_USER_ID: 'U0FAKEBOT',
      SLACK_BOT_ID: 'B0FAKEBOT',
    }),
    { artifact: await loadTestArtifact(), logger: createMemoryLogger() },
  );

describe('lazy feature manifests', () => {
  it.each(lazyManifests.map((m) => [m.id, m] as const))('%s declares what its module does', async (_, m) => {
    const feature = await m.load();
    expect(feature.id).toBe(m.id);
    expect(
      (feature.subcommands ?? []).map(({ names, usage, summary, answersInAck }) => ({
        names,
        usage,
        // Where the first reply goes (src/slack/command-reply.ts) must not change once the module loads.
        ...(answersInAck === undefined ? {} : { answersInAck }),
        summary,
      })),
    ).toEqual(m.subcommands ?? []);
    expect(feature.claimText !== undefined).toBe(m.claims !== undefined);
    const recorded = recordListeners(feature, await fakeDeps());
    for (const kind of ['action', 'view', 'options', 'event'] as const) {
      const real = recorded.filter((l) => l.kind === kind).map((l) => l.id);
      const declared = m.listeners?.[kind] ?? [];
      expect(real.length, `${m.id} ${kind} listeners`).toBe(declared.length);
      for (const id of real)
        expect(
          declared.some((d) => sameListenerId(d, id)),
          `${m.id} ${kind} ${String(id)}`,
        ).toBe(true);
    }
    // Loading the module registered a handler for every deferred kind the manifest names.
    for (const kind of m.deferredKinds ?? []) expect(hasDeferred(kind), kind).toBe(true);
  });

  it('checklists claim exactly the texts the loaded feature claims', async () => {
    const deps = await fakeDeps();
    const m = lazyManifests.find((x) => x.id === 'checklists')!;
    const real = await m.load();
    for (const text of ['failover', 'Promote SIT prod', 'token expired', 'deploy', 'drill failover', ''])
      expect(m.claims?.(text, deps), text).toBe(real.claimText?.(text, deps) != null);
  });

  it('checklists claim from a split artifact’s index, without reading its checklists (rest.json)', async () => {
    const whole = await loadTestArtifact();
    const { opened: split, reads: read } = openSplitInMemory(whole);
    const deps = { ...(await fakeDeps()), artifact: split };
    const m = lazyManifests.find((x) => x.id === 'checklists')!;
    const phrases = whole.checklists.flatMap((c) => c.commands);
    expect(phrases.length).toBeGreaterThan(0);
    for (const text of [...phrases, 'token expired', 'failover now', 'deploy!', ''])
      expect(m.claims?.(text, deps), text).toBe(
        whole.checklists.some((c) =>
          c.commands.includes(
            text
              .toLowerCase()
              .replace(/[^\p{L}\p{N}]+/gu, ' ')
              .trim(),
          ),
        ),
      );
    expect(read.filter((f) => f.startsWith('rest'))).toEqual([]);
  });

  it('a stand-in listener hands Bolt’s arguments to the real one, which acks', async () => {
    const calls: unknown[] = [];
    const real: Feature = {
      id: 'probe',
      register(app) {
        app.action(/^probe\.(a|b)$/, async (args) => {
          await args.ack();
          calls.push(args);
        });
      },
    };
    let loads = 0;
    const manifest: LazyFeatureManifest = {
      id: 'probe',
      listeners: { action: [/^probe\.(a|b)$/] },
      load: async () => {
        loads++;
        return real;
      },
    };
    const registered: { id: unknown; listener: (args: unknown) => Promise<void> }[] = [];
    const app = {
      action: (id: unknown, listener: (args: unknown) => Promise<void>) => registered.push({ id, listener }),
    };
    const deps = await fakeDeps();
    lazyFeature(manifest).register?.(app as never, deps);
    expect(registered).toHaveLength(1);
    expect(loads).toBe(0);
    let acked = 0;
    const args = { ack: async () => void acked++, action: { action_id: 'probe.a' } };
    await registered[0]!.listener(args);
    await registered[0]!.listener(args);
    expect(loads).toBe(1);
    expect(acked).toBe(2);
    expect(calls).toEqual([args, args]);
  });

  it('a deferred task of a lazy feature loads the feature before it runs', async () => {
    const ran: unknown[] = [];
    const kind = 'test.lazy-probe';
    const manifest: LazyFeatureManifest = {
      id: 'deferred-probe',
      deferredKinds: [kind],
      load: async () => {
        registerDeferred(kind, async (payload) => void ran.push(payload));
        return { id: 'deferred-probe' };
      },
    };
    const deps = await fakeDeps();
    lazyFeature(manifest).register?.({} as never, deps);
    expect(hasDeferred(kind)).toBe(true);
    await runDeferred({ kind, payload: { n: 1 } }, deps);
    expect(ran).toEqual([{ n: 1 }]);
    await loadLazyFeature(manifest, deps);
  });
});

describe('lazy search', () => {
  it('answers typos as the eager search once prepared, and loads fuse.js only for unknown words', async () => {
    const artifact = await loadTestArtifact();
    const eager = createSearch(artifact);
    for (const query of ['token expired', 'tokn exipred', 'dns failovr', 'promote sit prod', 'zzzz qqqq']) {
      const lazy = createLazySearch(artifact);
      await lazy.prepare?.(query);
      expect(lazy.search(query), query).toEqual(eager.search(query));
    }
  });
});
