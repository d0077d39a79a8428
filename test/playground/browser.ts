/**
 * Browser tests drive Debian's Chromium through playwright-core: one browser per test file, a fresh
 * profile directory, and the playground on an ephemeral loopback port.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { type Playground, startPlayground } from '../../src/playground/server';
import { createMemoryLogger } from '../../src/slack/logger';
import { loadTestArtifact } from '../helpers/artifact';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface BrowserHarness {
  playground: Playground;
  context: BrowserContext;
  /** A new tab on the playground as this user (handle, e.g. `alice`), ready (snapshot received). */
  open(as: string): Promise<PlaygroundPage>;
  close(): Promise<void>;
}

export async function startBrowserHarness(
  opts: { scenario?: string; env?: Record<string, string> } = {},
): Promise<BrowserHarness> {
  const playground = await startPlayground({
    config: loadConfig(opts.env ?? {}),
    artifact: await loadTestArtifact(),
    port: 0,
    logger: createMemoryLogger(),
    ...(opts.scenario ? { scenario: opts.scenario } : {}),
  });
  const profile = await mkdtemp(join(tmpdir(), 'playground-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
  } catch (error) {
    await playground.close();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  // Fail with Playwright's own message (what it waited for) well before the test's timeout.
  context.setDefaultTimeout(15_000);
  return {
    playground,
    context,
    async open(as) {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${playground.url}/?as=${encodeURIComponent(as)}`);
      await page.locator('body[data-ready="true"]').waitFor();
      return new PlaygroundPage(page, errors);
    },
    async close() {
      await context.close();
      await playground.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** What a person does on the page, in their words. */
export class PlaygroundPage {
  constructor(
    readonly page: Page,
    /** Uncaught errors in the page's scripts. */
    readonly errors: string[],
  ) {}

  async actAs(name: string): Promise<void> {
    await this.page.locator('.user-btn', { hasText: name }).click();
    await this.page.locator('.user-btn.active', { hasText: name }).waitFor();
  }

  async type(text: string): Promise<void> {
    await this.page.locator('#composer').fill(text);
    await this.page.locator('#composer').press('Enter');
  }

  /** The channel's messages from the bot. */
  botMessages(): Locator {
    return this.page.locator('#messages .msg').filter({ has: this.page.locator('.app-badge') });
  }

  lastBotMessage(): Locator {
    return this.botMessages().last();
  }

  modal(): Locator {
    return this.page.locator('#overlay .modal');
  }

  /** Confirms a Block Kit confirm dialog if one is open. */
  async confirm(): Promise<void> {
    await this.page.locator('.confirm-layer [data-role="confirm"]').click();
  }
}
