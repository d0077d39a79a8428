/**
 * `createApp()` wires one Bolt app for every transport: the `/runbook` command, the features' actions
 * and views, and global error handling. Entry points (src/entry/*) only choose the receiver.
 */

import type { Receiver, SlashCommand } from '@slack/bolt';
import { App } from '@slack/bolt';
import { commandResponder } from './command-reply';
import type { AppDeps } from './deps';
import { logFailure, notifyFailure } from './failure';
import type { CommandContext, Feature } from './feature';
import { features as defaultFeatures } from './features';
import { createHelpFeature } from './features/help';
import { answerQuery } from './features/search';
import { narrowListeners } from './listener-filter';
import { toBoltLogger } from './logger';
import { createHttpReceiver } from './receivers';
import { failureMessage } from './render/failure';
import { normalizeCommandText, type Route, routeCommand } from './router';
import { webClientOptions } from './web-client';

export interface CreateAppOptions {
  deps: AppDeps;
  /** Defaults to the HTTP receiver on `config.port` (needs SLACK_SIGNING_SECRET). */
  receiver?: Receiver;
  /** Defaults to src/slack/features/index.ts. `help` is always added. */
  features?: readonly Feature[];
}

export function createApp({ deps, receiver, features = defaultFeatures }: CreateAppOptions): App {
  const { config } = deps;
  const { botToken, botId, botUserId } = config.slack;
  const app = new App({
    receiver: receiver ?? createHttpReceiver(deps),
    // Authorize from config: no `auth.test` round trip on a cold start.
    authorize: async () => ({ botToken, botId, botUserId }),
    logger: toBoltLogger(deps.logger, config.logLevel),
    clientOptions: webClientOptions(config.slack),
    extendedErrorHandler: true,
    convoStore: false,
  });

  const all: Feature[] = [];
  all.push(
    createHelpFeature(() => all),
    ...features,
  );

  app.command(config.slashCommand, async ({ command, ack, respond, client }) => {
    // Until the route is known, a failure is answered after an empty ack (src/slack/command-reply.ts).
    let responder = commandResponder(ack, respond, false);
    try {
      const text = normalizeCommandText(command.text);
      // routeCommand decodes Slack's entities itself: given `text`, a typed `&lt;b&gt;` would read as `<b>`.
      const route = routeCommand(text === '' ? 'help' : command.text, all, deps);
      // Answers from memory go in the ack's body; anything that may wait on I/O acknowledges first.
      responder = commandResponder(ack, respond, answersInAck(route));
      if (!answersInAck(route)) await responder.ack();
      const ctxFor = (args: string): CommandContext => ({
        args,
        text,
        command,
        respond: responder.reply,
        client,
        deps,
      });
      await runCommand(command, route, deps, ctxFor);
    } catch (error) {
      const ref = logFailure(deps.logger, error, command, `command ${config.slashCommand}`);
      await responder
        .reply({
          response_type: 'ephemeral',
          ...failureMessage(ref, { repoUrl: config.repoUrl, command: config.slashCommand }),
        })
        .catch((e: unknown) => deps.logger.warn('failure notice not delivered', { ref, error: e }));
    } finally {
      // A command that never replied is still acknowledged (Slack shows nothing rather than an error).
      await responder.ack();
    }
  });

  for (const feature of all) feature.register?.(app, deps);
  // Last global middleware: each request meets only the listeners of its type (listener-filter.ts).
  narrowListeners(app);

  // With `extendedErrorHandler`, Bolt passes { error, body, logger, context } (its typing lags behind).
  const onError = async ({ error, body }: { error: Error; body: unknown }) => {
    const original = (error as { original?: unknown }).original ?? error;
    const ref = logFailure(deps.logger, original, body, 'listener');
    await notifyFailure(body, ref, {
      repoUrl: config.repoUrl,
      logger: deps.logger,
      command: config.slashCommand,
    });
  };
  app.error(onError as unknown as Parameters<App['error']>[0]);

  return app;
}

/** Search and the subcommands that say so answer from memory, in the ack's body. */
function answersInAck(route: Route): boolean {
  if (route.kind === 'search') return true;
  return route.kind === 'subcommand' && route.subcommand.answersInAck === true;
}

async function runCommand(
  command: SlashCommand,
  route: Route,
  deps: AppDeps,
  ctxFor: (args: string) => CommandContext,
): Promise<void> {
  deps.logger.info('command', {
    command: command.command,
    route: route.kind,
    name: route.kind === 'subcommand' ? route.name : route.kind === 'claimed' ? route.featureId : undefined,
    user: command.user_id,
    channel: command.channel_id,
  });
  switch (route.kind) {
    case 'subcommand':
      return route.subcommand.run(ctxFor(route.args));
    case 'claimed':
      return route.run(ctxFor(normalizeCommandText(command.text)));
    case 'search':
      return answerQuery(ctxFor(route.query));
  }
}
