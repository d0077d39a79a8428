import type { Feature } from '../feature';
import { renderHelp } from '../render/help';

/** `/runbook help`: built from the live feature list, so a new subcommand documents itself. */
export function createHelpFeature(getFeatures: () => readonly Feature[]): Feature {
  return {
    id: 'help',
    subcommands: [
      {
        names: ['help', '?', 'usage'],
        usage: 'help',
        answersInAck: true,
        summary: 'What the bot can do.',
        run: async ({ respond, deps }) => {
          const subcommands = getFeatures().flatMap((f) => f.subcommands ?? []);
          await respond({
            response_type: 'ephemeral',
            ...renderHelp({ command: deps.config.slashCommand, subcommands, artifact: deps.artifact }),
          });
        },
      },
    ],
  };
}
