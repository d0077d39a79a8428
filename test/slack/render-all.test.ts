import { beforeAll, describe, expect, test } from 'vitest';
import type { Artifact } from '../../src/runbooks/model';
import { renderSectionAnswer } from '../../src/slack/render/section';
import { loadTestArtifact } from '../helpers/artifact';
import { slackLimitViolations } from '../helpers/slack-limits';

const REPO = 'https://github.com/example/sitecraft-runbooks/blob/main/runbooks';
let artifact: Artifact;

beforeAll(async () => {
  artifact = await loadTestArtifact();
});

describe('every section of every runbook renders within Slack limits', () => {
  test('as the asker sees it, with other matches', () => {
    expect(artifact.sections.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const [i, section] of artifact.sections.entries()) {
      const others = artifact.sections.slice(i + 1, i + 5);
      const msg = renderSectionAnswer({ section, others, artifact, repoUrl: REPO, command: '/runbook', query: section.title });
      for (const v of slackLimitViolations(msg)) problems.push(`${section.id}: ${v}`);
    }
    expect(problems).toEqual([]);
  });

  test('as shared in the channel', () => {
    const problems: string[] = [];
    for (const section of artifact.sections) {
      const msg = renderSectionAnswer({ section, artifact, repoUrl: REPO, command: '/runbook', sharedBy: 'U0ALICE' });
      for (const v of slackLimitViolations(msg)) problems.push(`${section.id}: ${v}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('list', () => {
  test('all runbooks, and each runbook in full, render within Slack limits and name every runbook', async () => {
    const { renderList } = await import('../../src/slack/render/list');
    const all = renderList({ artifact, repoUrl: REPO, command: '/runbook' });
    expect(slackLimitViolations(all)).toEqual([]);
    for (const r of artifact.runbooks) {
      expect(JSON.stringify(all.blocks)).toContain(r.title);
      const one = renderList({ artifact, repoUrl: REPO, command: '/runbook', filter: r.file.replace(/\.md$/, '') });
      expect(slackLimitViolations(one)).toEqual([]);
    }
  });
});
