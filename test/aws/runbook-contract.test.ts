/**
 * The runbooks as compiled (DR_FAILOVER.md, PROMOTION.md) against what the AWS features expect: the
 * failover/failback checklists carry the step directives and a records table, the templates' placeholders
 * are all ones the bot fills, and the declared records plan a clean failover and failback.
 */
import type { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { applyFailover, prepareFailover } from '../../src/aws/failover';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { loadConfig } from '../../src/config';
import type { StepItem } from '../../src/runbooks/model/model';
import type { AppDeps } from '../../src/slack/deps';
import { fillNotice, noticeValues } from '../../src/slack/features/aws-steps/notify';
import { createRunState } from '../../src/workflows/run-state';
import { loadTestArtifact } from '../helpers/artifact';

const steps = (items: { type: string }[]) => items.filter((i): i is StepItem => i.type === 'step');

describe('runbooks ↔ AWS features', () => {
  it('failover and failback checklists use the AWS directives on the declared records', async () => {
    const artifact = await loadTestArtifact();
    const failover = artifact.checklists.find((c) => c.id === 'failover');
    const failback = artifact.checklists.find((c) => c.id === 'failback');

    expect(failover?.records).toBe('route53-failover');
    expect(artifact.records['route53-failover']?.length).toBeGreaterThanOrEqual(2);
    const directives = steps(failover?.items ?? []).map((s) => s.directives);
    expect(directives).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ evidence: 'primary-health' }),
        expect.objectContaining({ action: 'route53-failover' }),
        expect.objectContaining({ notify: 'failover-notice' }),
      ]),
    );
    expect(steps(failback?.items ?? []).map((s) => s.directives)).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'route53-failback' })]),
    );
    const monitor = artifact.checklists
      .flatMap((c) => steps(c.items))
      .find((s) => s.directives['monitor'] === 'canary');
    expect(monitor?.directives['period']).toBe('30m');
  });

  it('the declared records fail over and back cleanly (simulated)', async () => {
    const artifact = await loadTestArtifact();
    const records = artifact.records['route53-failover'] ?? [];
    const gateway = createSimulatedGateway(loadScenario('primary-down'), { records });

    const over = await prepareFailover(gateway, { direction: 'failover', records, comment: 'contract' });
    expect(over.kind).toBe('change');
    if (over.kind === 'change') await applyFailover(gateway, over.batches);
    const back = await prepareFailover(gateway, { direction: 'failback', records, comment: 'contract' });

    expect(back.kind).toBe('change');
    expect(back.kind === 'change' && back.moves.map((m) => `${m.region}:${m.to}`)).toEqual(
      records.map((r) => `${r.region}:${r.failover}`),
    );
  });

  it('every template placeholder is one the bot fills', async () => {
    const artifact = await loadTestArtifact();
    const failover = artifact.checklists.find((c) => c.id === 'failover')!;
    const run = createRunState({
      runId: 'R1',
      checklist: failover,
      drill: false,
      startedBy: 'U0ALICE',
      startedAt: '2025-03-01T10:00:00.000Z',
      channel: 'C1',
    });
    const deps = {
      config: loadConfig({}),
      now: () => new Date('2025-03-01T10:05:00.000Z'),
      logger: { info: () => undefined },
    } as unknown as AppDeps;
    // Slack answers nobody's name: the notice still names no ID.
    const client = {
      users: { info: async () => Promise.reject(new Error('users:read missing')) },
    } as unknown as webApi.WebClient;
    const notifyStep = steps(failover.items).find((s) => s.directives['notify'])!;
    const updateTemplates = new Set(
      Object.values(artifact.templates).flatMap((t) => t.directives?.['update-template'] ?? []),
    );

    for (const template of Object.values(artifact.templates)) {
      const values = await noticeValues({
        deps,
        client,
        run,
        stepId: notifyStep.id,
        user: 'U0BOB',
        template,
        postedAt: '2025-03-01T10:05:00.000Z',
      });
      // An update template also has what the person posting it types (src/slack/features/reach/).
      if (updateTemplates.has(template.id)) Object.assign(values, { changes: 'x', next_update: 'y' });
      const filled = fillNotice(template, values);
      expect(filled.text).not.toMatch(/U0ALICE|U0BOB|R1/);
      expect({ template: template.id, missing: filled.missing }).toEqual({
        template: template.id,
        missing: [],
      });
    }
  });
});
