/** manifest.yml is what a workspace admin pastes into Slack: it must route every request to the bot. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';
import { SLACK_EVENTS_PATH } from '../../src/slack/receivers';

interface Manifest {
  features: {
    slash_commands: { command: string; url: string; usage_hint: string }[];
    app_home: {
      home_tab_enabled: boolean;
      messages_tab_enabled: boolean;
      messages_tab_read_only_enabled: boolean;
    };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url: string };
    event_subscriptions: { request_url: string; bot_events: string[] };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(readFileSync('manifest.yml', 'utf8')) as Manifest;

describe('manifest.yml', () => {
  it('declares the slash command the app listens to, at the events path', () => {
    const [cmd] = manifest.features.slash_commands;
    expect(cmd?.command).toBe(loadConfig({}).slashCommand);
    expect(new URL(cmd!.url).pathname).toBe(SLACK_EVENTS_PATH);
    expect(cmd!.usage_hint.length).toBeLessThanOrEqual(1000);
  });

  it('sends interactions (buttons, modals) to the same path', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe(SLACK_EVENTS_PATH);
  });

  it('asks for the least bot scopes: commands, chat:write, files:write (timeline export), im:write (approval DMs), usergroups:read, users:read (names)', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      'chat:write',
      'commands',
      'files:write',
      'im:write',
      'usergroups:read',
      'users:read',
    ]);
  });

  it('declares the Home tab, read-only DMs, and the app_home_opened event at the events path, and nothing more', () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: true,
    });
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(new URL(manifest.settings.event_subscriptions.request_url).pathname).toBe(SLACK_EVENTS_PATH);
  });

  it('leaves Socket Mode off, for the HTTP and Lambda request URLs', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});
