import type { Section } from '../../runbooks/model/model';
import { ActionIds } from '../action-ids';
import { actions, type Block, button, context, fallback, type Message, section } from './blocks';
import { quoteUserText } from './escape';
import { SLACK_LIMITS, truncate } from './limits';
import { encodeOpenValue, MAX_OTHER_MATCHES } from './section';

export interface NoMatchInput {
  query: string;
  /** Sections worth offering instead ("Did you mean"), best first; weak hits included. */
  suggestions: Section[];
  command: string;
}

export function renderNoMatch({ query, suggestions, command }: NoMatchInput): Message {
  const q = quoteUserText(query, 120);
  const blocks: Block[] = [
    section(q ? `:mag: *No good match* for “${q}”.` : ':mag: *No good match.*', { verbatim: true }),
  ];
  const seen = new Set<string>();
  const offered = suggestions.filter((s) => !seen.has(s.id) && seen.add(s.id)).slice(0, MAX_OTHER_MATCHES);
  if (offered.length > 0) {
    blocks.push(context(['*Did you mean* one of these?']));
    blocks.push(
      actions(
        offered.map((s, n) =>
          button({
            text: truncate(s.title, SLACK_LIMITS.buttonText),
            actionId: `${ActionIds.openSection}:${n}`,
            value: encodeOpenValue(s, offered),
          }),
        ),
      ),
    );
  }
  blocks.push(
    context([
      `Next: use the exact error text users see, or fewer words · \`${command} list\` to browse · \`${command} contacts\` for who to call · \`${command} escalate\``,
    ]),
  );
  return { text: fallback(`No good match. Try other words, or ${command} list to browse.`), blocks };
}

/** A button pointed at a section that a newer deploy no longer has. */
export function renderSectionGone(command: string): Message {
  return {
    text: fallback(`That section is no longer in the runbooks. Search again with ${command} <words>.`),
    blocks: [
      section(
        `:warning: That section is no longer in the runbooks (they changed since this message). Search again: \`${command} <words>\` or \`${command} list\`.`,
      ),
    ],
  };
}
