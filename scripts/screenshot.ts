/**
 * `npx tsx scripts/screenshot.ts [out.png]`: starts the playground on a free port, plays a short scene in
 * Chromium (a failover drill started by Alice, its evidence checked, its gate half signed by Frank, the thread's audit trail) and
 * saves the picture used by the README (default docs/playground.png). Needs /usr/bin/chromium; colour
 * emoji need the fonts-noto-color-emoji package.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { loadConfig } from '../src/config';
import { ensureArtifact } from '../src/entry/playground';
import { startPlayground } from '../src/playground/server';
import { createMemoryLogger } from '../src/slack/logger';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/playground/browser';

const OUT = process.argv[2] ?? 'docs/playground.png';

async function scene(page: Page): Promise<void> {
  const type = async (text: string) => {
    await page.locator('#composer').fill(text);
    await page.locator('#composer').press('Enter');
  };
  const actAs = (name: string) => page.locator('.user-btn', { hasText: name }).click();
  const run = page.locator('#messages .msg', { hasText: '[DRILL] DR failover' });
  const button = (name: string) => run.getByRole('button', { name, exact: true });

  await actAs('Alice');
  await type('/runbook token expired');
  await page.locator('#messages .bk-header-text', { hasText: 'Token expired' }).waitFor();
  await type('/runbook drill failover');
  await button('Check primary health').click();
  await run.getByText(/Primary confirmed unhealthy/).waitFor();
  await button('Done').first().click();
  await run.getByText(/1 of \d+ steps done/).waitFor();
  // A drill's warm-up writes nothing, so its Done needs no evidence.
  await button('Done').first().click();
  await run.getByText(/2 of \d+ steps done/).waitFor();
  await actAs('Frank');
  await button('Approve').click();
  await run
    .getByText(/Frank Osei/)
    .first()
    .waitFor();
  await actAs('Alice');
  await run.locator('.thread-link').click();
  await page.locator('#thread .msg', { hasText: 'approved Incident commander sign-off' }).waitFor();
  await page.locator('#thread-messages').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
}

async function main(): Promise<void> {
  const config = loadConfig({});
  const artifact = await ensureArtifact(config.artifactPath);
  const playground = await startPlayground({
    config,
    artifact,
    port: 0,
    logger: createMemoryLogger(),
    scenario: 'primary-down',
  });
  const profile = await mkdtemp(join(tmpdir(), 'playground-screenshot-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1360, height: 860 },
  });
  try {
    const page = await context.newPage();
    await page.goto(playground.url);
    await page.locator('body[data-ready="true"]').waitFor();
    await scene(page);
    await page.screenshot({ path: OUT });
    process.stdout.write(`${OUT}: ${(await stat(OUT)).size} bytes\n`);
  } finally {
    await context.close();
    await playground.close();
    await rm(profile, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `screenshot failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
