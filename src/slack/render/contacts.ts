/**
 * Contacts and escalation paths from the runbooks (OPERATIONS.md). `who` is written by runbook authors,
 * not typed by a user: Slack mentions written as `<@U…>` / `<!subteam^S…>` are kept in ephemeral replies
 * (they do not notify there) and reduced to plain names in channel posts, so showing the path never pages
 * anyone; everything else is escaped.
 */
import type { Contact, EscalationPath } from '../../runbooks/model/model';
import { type Block, context, fallback, header, type Message, section } from './blocks';
import { escapeMrkdwn, mentionUser, quoteUserText } from './escape';
import { SLACK_LIMITS } from './limits';
import { inline } from './markdown';

const USER_GROUP_ID = /^S[A-Z0-9]{2,}$/;
const MENTION = /<(@[UW][A-Z0-9]+|!subteam\^S[A-Z0-9]+)(?:\|([^>]*))?>/g;

/**
 * `who` for display: live mentions where harmless, plain text where a mention would page someone. With
 * `groups` (SLACK_USERGROUPS), a written `@handle` of a configured user group becomes its mention.
 */
export function renderWho(
  who: string,
  opts: { mentions: boolean; groups?: Readonly<Record<string, string>> },
): string {
  let out = '';
  let last = 0;
  const plain = (text: string) => {
    const escaped = escapeMrkdwn(text);
    if (!opts.mentions || !opts.groups) return escaped;
    return escaped.replace(/(^|[^\w@])@([a-z0-9][a-z0-9._-]*)/gi, (whole, before: string, handle: string) => {
      // Own keys only (`@constructor` is no group), and only an id of a user group's shape.
      const key = handle.toLowerCase();
      const id = opts.groups && Object.hasOwn(opts.groups, key) ? opts.groups[key] : undefined;
      return typeof id === 'string' && USER_GROUP_ID.test(id)
        ? `${before}<!subteam^${id}|@${handle}>`
        : whole;
    });
  };
  for (const m of who.matchAll(MENTION)) {
    out += plain(who.slice(last, m.index));
    const [whole, target = '', label] = m;
    if (opts.mentions) out += whole;
    else
      out += label
        ? escapeMrkdwn(label.startsWith('@') ? label : `@${label}`)
        : `\`${escapeMrkdwn(target)}\``;
    last = (m.index ?? 0) + whole.length;
  }
  return out + plain(who.slice(last));
}

function contactLine(c: Contact, mentions: boolean, groups?: Readonly<Record<string, string>>): string {
  const phone = c.phone && c.phone !== '-' ? ` · :telephone_receiver: ${escapeMrkdwn(c.phone)}` : '';
  const when = c.when ? `\n\u2003_When:_ ${inline(c.when)}` : '';
  return `*${escapeMrkdwn(c.level)} — ${escapeMrkdwn(c.role)}:* ${renderWho(c.who, { mentions, ...(groups ? { groups } : {}) })}${phone}${when}`;
}

function packLines(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let chunk = '';
  for (const line of lines) {
    if (chunk && chunk.length + line.length + 1 > SLACK_LIMITS.sectionText) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) blocks.push(section(chunk));
  return blocks.slice(0, SLACK_LIMITS.blocksPerMessage - 4);
}

/** Words of a request that name no role: "who is on call for security" asks about security. */
const ASKING = new Set(
  'who whom whose is are on call calling for the a an to of i we do does should can contact contacts person people page ring reach about with in what which someone somebody need needs get'.split(
    ' ',
  ),
);

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** Two words that are one another's start, four letters at least (`database` ~ `data-changing`). */
const sameStem = (a: string, b: string) =>
  a === b || (Math.min(a.length, b.length) >= 4 && (a.startsWith(b) || b.startsWith(a)));

/** Whether a typed word, or one of its search synonyms (`database` → `dynamodb`), names one of `hay`'s words. */
function namesAny(term: string, hay: readonly string[], synonyms: Readonly<Record<string, string>>): boolean {
  const forms = [term, ...words(Object.hasOwn(synonyms, term) ? (synonyms[term] ?? '') : '')];
  return forms.some((x) => hay.some((h) => sameStem(x, h)));
}

/**
 * The contacts a request names: by level (`L2`), role, handle or what they are called for, word by word
 * with the search's synonyms (`database` → `dynamodb`); the best-matching rows, or none.
 */
export function filterContacts(
  contacts: Contact[],
  request: string,
  synonyms: Readonly<Record<string, string>> = {},
): Contact[] {
  // `level 3` is `L3`, as the contacts table and `escalate` write it.
  const terms = words(request.replace(/\blevel\s*(\d)\b/gi, 'L$1')).filter((t) => !ASKING.has(t));
  if (terms.length === 0) return contacts;
  const scored = contacts.map((c) => {
    const hay = words(`${c.level} ${c.role} ${c.who} ${c.when}`);
    const score = terms.filter((t) => namesAny(t, hay, synonyms)).length;
    return { c, score };
  });
  const best = Math.max(0, ...scored.map((s) => s.score));
  return best === 0 ? [] : scored.filter((s) => s.score === best).map((s) => s.c);
}

export function renderContacts(input: {
  contacts: Contact[];
  filter: string;
  command: string;
  /** The search vocabulary's synonyms (`artifact.search.synonyms`), for role words. */
  synonyms?: Readonly<Record<string, string>>;
  /** SLACK_USERGROUPS: handles → IDs, so groups appear as mentions. */
  groups?: Readonly<Record<string, string>>;
}): Message {
  const { contacts, filter, command, groups } = input;
  const matched = filterContacts(contacts, filter, input.synonyms);
  const blocks: Block[] = [header('Escalation contacts')];
  if (contacts.length === 0) {
    blocks.push(
      section('No contacts table found in the runbooks (OPERATIONS.md, `<!-- bot: contacts -->`).'),
    );
  } else if (matched.length === 0) {
    blocks.push(
      section(`No contact matches “${quoteUserText(filter, 60)}”. Here is everyone:`, { verbatim: true }),
      ...packLines(contacts.map((c) => contactLine(c, true, groups))),
    );
  } else {
    blocks.push(...packLines(matched.map((c) => contactLine(c, true, groups))));
  }
  blocks.push(
    context([
      `Next: \`${command} escalate\` posts the escalation path in this channel · \`${command} contacts <role or level>\` narrows the list`,
    ]),
  );
  const summary = (matched.length ? matched : contacts).map((c) => `${c.level} ${c.role}`).join('; ');
  return { text: fallback(`Escalation contacts: ${summary || 'none found'}`), blocks };
}

/** Words of an escalate request that name neither an issue nor a level. */
const FILLER = new Set([
  ...ASKING,
  'level',
  'escalate',
  'escalation',
  'path',
  'issue',
  'issues',
  'problem',
  'problems',
]);

/** A path's own words: its id and title, without the words every path's title has. */
const pathWords = (p: EscalationPath) =>
  words(`${p.id} ${p.title}`).filter((w) => w !== 'escalation' && w !== 'issues' && w !== 'path');

/**
 * Pick a path by its id or title words (`escalate authentication`, `escalate auth`, or a search synonym:
 * `escalate login`); with none named, the only path there is, or, when the runbooks have several (one per
 * issue family), the general ladder of the contacts table (`contactsLadder`). A level marks where to start:
 * by number (`L2`, `level 2`, `2`) or by a named level of that path (`escalate security`). Words that name
 * neither come back as `unmatched`, so the reply can say it did not understand them rather than post the
 * ladder as if it had.
 */
export function pickEscalation(
  paths: EscalationPath[],
  args: string,
  contacts: Contact[] = [],
  synonyms: Readonly<Record<string, string>> = {},
): { path: EscalationPath | undefined; level: string | null; unknownLevel: boolean; unmatched: string[] } {
  const text = args.trim().toLowerCase();
  // A level: `L2`, `level 2`, or a digit standing alone (punctuation may follow: `L2,`); never the 1 of
  // `eu-west-1` or of `sev 1`.
  const levelMatch =
    /(?:^|[\s(])(?:l|level\s*)(\d)(?=[\s,.;:!?)]|$)|(?:^|[\s(])(?<!sev\s)(\d)(?=[\s,.;:!?)]|$)/i.exec(text);
  const rest = words(levelMatch ? text.replace(levelMatch[0], ' ') : text).filter((w) => !FILLER.has(w));
  const names = (t: string, hay: string[]) => namesAny(t, hay, synonyms);
  let named: EscalationPath | undefined;
  let best = 0;
  for (const p of paths) {
    const hay = pathWords(p);
    const score = rest.filter((t) => names(t, hay)).length;
    if (score > best) [named, best] = [p, score];
  }
  const path = named ?? (paths.length === 1 || contacts.length === 0 ? paths[0] : contactsLadder(contacts));
  const leftover = named ? rest.filter((t) => !names(t, pathWords(named))) : rest;
  // A level named in words: a step whose level is not a number (`Security`, `AWS Support`), word by word.
  const byName = path?.steps.find(
    (s) => !/^l\d$/i.test(s.level) && leftover.some((t) => words(s.level).some((w) => sameStem(t, w))),
  );
  const unmatched = byName
    ? leftover.filter((t) => !words(byName.level).some((w) => sameStem(t, w)))
    : leftover;
  const level = levelMatch ? `L${levelMatch[1] ?? levelMatch[2]}` : (byName?.level ?? null);
  const unknownLevel =
    level !== null &&
    path !== undefined &&
    !path.steps.some((s) => s.level.toUpperCase() === level.toUpperCase());
  return { path, level, unknownLevel, unmatched };
}

/** The escalation contacts table read as a path: each level, in the table's order, with when to go there. */
export function contactsLadder(contacts: Contact[]): EscalationPath {
  return {
    id: 'contacts',
    title: 'Escalation ladder',
    sectionId: '',
    steps: contacts.map((c) => ({ level: c.level, label: c.role, text: `Escalate when: ${c.when}` })),
  };
}

export function renderEscalation(input: {
  paths: EscalationPath[];
  contacts: Contact[];
  args: string;
  command: string;
  postedBy: string;
  sectionUrl?: (sectionId: string) => string | undefined;
  /** The search vocabulary's synonyms (`artifact.search.synonyms`), for issue words (`login`). */
  synonyms?: Readonly<Record<string, string>>;
}): Message {
  const { paths, contacts, args, command, postedBy } = input;
  const { path, level, unknownLevel, unmatched } = pickEscalation(paths, args, contacts, input.synonyms);
  if (!path) {
    return {
      text: fallback('No escalation path found in the runbooks.'),
      blocks: [
        section(
          'No escalation path found in the runbooks (`<!-- bot: escalation=<id> -->` in OPERATIONS.md).',
        ),
        context([`Next: \`${command} contacts\` lists who to call.`]),
      ],
    };
  }
  const startAt =
    level && !unknownLevel ? path.steps.findIndex((s) => s.level.toUpperCase() === level.toUpperCase()) : 0;
  const lines = path.steps.map((step, i) => {
    const who = contacts
      .filter((c) => c.level.toUpperCase() === step.level.toUpperCase())
      .map(
        (c) =>
          `${escapeMrkdwn(c.role)}: ${renderWho(c.who, { mentions: false })}${c.phone ? ` (${escapeMrkdwn(c.phone)})` : ''}`,
      );
    // Levels above a numbered one are passed (struck through); a named one (Security, AWS Support) is
    // called beside the ladder, not after it, so nothing is struck for it.
    const passed = i < startAt && /^l\d+$/i.test(level ?? '') && /^l\d+$/i.test(step.level);
    const marker = i === startAt && level ? ':arrow_right: ' : passed ? '~' : '';
    const endMarker = passed ? '~' : '';
    const label = step.label ? ` — ${escapeMrkdwn(step.label)}` : '';
    const body = `${marker}*${escapeMrkdwn(step.level)}*${label}${endMarker}\n${inline(step.text)}`;
    return who.length > 0 ? `${body}\n\u2003_Contact:_ ${who.join(' · ')}` : body;
  });
  const url = input.sectionUrl?.(path.sectionId);
  const blocks: Block[] = [
    header(`Escalation: ${path.title}`),
    context([
      `Posted by ${mentionUser(postedBy)}${level && !unknownLevel ? ` · starting at ${level}` : ''}${url ? ` · <${url}|runbook>` : ''}`,
    ]),
    ...packLines(lines),
  ];
  const notes: string[] = [];
  if (unmatched.length > 0)
    notes.push(
      `“${quoteUserText(unmatched.join(' '), 60)}” names no issue or level here; ${path.id === 'contacts' ? 'showing the whole ladder' : `showing the ${escapeMrkdwn(path.title)}`}.`,
    );
  if (unknownLevel)
    notes.push(`There is no level ${escapeMrkdwn(level ?? '')} on this path; showing all levels.`);
  if (paths.length > 1)
    notes.push(
      `${path.id === 'contacts' ? 'Paths by issue' : 'Other paths'}: ${paths
        .filter((p) => p !== path)
        .map((p) => `\`${command} escalate ${escapeMrkdwn(p.id)}\``)
        .join(', ')}`,
    );
  notes.push(`Next: \`${command} contacts\` shows phone numbers and profiles (only to you).`);
  blocks.push(context(notes));
  return {
    text: fallback(
      `Escalation path: ${path.title}. ${path.steps.map((s) => `${s.level}${s.label ? ` ${s.label}` : ''}`).join(' → ')}`,
    ),
    blocks,
  };
}
