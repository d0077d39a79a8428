import type { Section } from '../../runbooks/model/model';
import { ActionIds } from '../action-ids';
import { encodeAnswerRef } from './answer';
import { actions, type Block, button, context, fallback, type Message, section } from './blocks';
import { quoteUserText } from './escape';
import { SLACK_LIMITS, truncate } from './limits';
import { MAX_OTHER_MATCHES } from './section';

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
            value: encodeAnswerRef({ view: 'summary', id: s.id, query, others: [] }),
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

/** "Not this": the answer set aside, the other matches offered instead, and what else to try. */
export function renderNotThis(input: {
  query: string;
  shown: Section;
  suggestions: Section[];
  command: string;
}): Message {
  const { query, shown, suggestions, command } = input;
  const q = quoteUserText(query, 120);
  const blocks: Block[] = [
    section(
      `:ok_hand: Noted: *${quoteUserText(shown.title, 120)}* is not what ${q ? `“${q}” needs` : 'you needed'}. Runbook authors see this.`,
      { verbatim: true },
    ),
  ];
  const offered = suggestions.filter((s) => s.id !== shown.id).slice(0, MAX_OTHER_MATCHES);
  if (offered.length > 0) {
    blocks.push(context(['*Other matches*']));
    blocks.push(
      actions(
        offered.map((s, n) =>
          button({
            text: truncate(s.title, SLACK_LIMITS.buttonText),
            actionId: `${ActionIds.openSection}:${n}`,
            value: encodeAnswerRef({ view: 'summary', id: s.id, query, others: [shown.id] }),
          }),
        ),
      ),
    );
  }
  blocks.push(
    context([
      `Next: the exact error text users see works best · \`${command} diagnose <words>\` walks a decision tree · \`${command} list\` · \`${command} contacts\``,
    ]),
  );
  return { text: fallback(`Noted: not ${shown.title}. Try other matches or other words.`), blocks };
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
