import { context, fallback, type Message, section } from './blocks';

/** The only thing a user sees when a listener fails: a reference, and what to do meanwhile. */
export function failureMessage(ref: string, opts: { repoUrl: string; command?: string }): Message {
  const cmd = opts.command ?? '/runbook';
  const lead = `:warning: Something went wrong on our side (ref \`${ref}\`).`;
  const next = `Try again in a moment. If it keeps failing, read the runbooks directly: <${opts.repoUrl}|runbooks repository>, and quote ref \`${ref}\` to the bot's maintainers. \`${cmd} help\` lists what the bot can do.`;
  return {
    text: fallback(`Something went wrong (ref ${ref}). Try again in a moment.`),
    blocks: [section(lead), context([next])],
  };
}
