/**
 * A search answer that helps in ten seconds: the first screen holds the title, where it lives, one or two
 * lines of "What you see" and the first fix with its command (variables included); Diagnosis, Fix, Verify
 * and Escalate open in place. A section that is not a symptom shows its summary (and, for a procedure, the
 * step the question names) with "Show all". Run as checklist, Walk the tree, Share, Other matches, and
 * Helpful / Not this follow. Pure: the section, the artifact and the view in; Block Kit out.
 */
import type { Artifact, Checklist, DecisionTree, Section, StepItem } from '../../runbooks/model/model';
import {
  answerCardOf,
  checklistAt,
  procedureFor,
  sectionButtons,
  sectionLookup,
} from '../../runbooks/model/split';
import { ActionIds } from '../action-ids';
import { deepFreeze, type SectionRender, sectionRender } from './answer-cache';
import {
  ANSWER_PARTS,
  compactExports,
  firstItem,
  firstLines,
  leadAndCommand,
  leadSentences,
  type PartKey,
  partsOf,
  variablesFor,
  withVariables,
} from './answer-parts';
import {
  actions,
  type Block,
  type Button,
  button,
  context,
  fallback,
  header,
  type Message,
  section,
} from './blocks';
import { renderBody } from './body';
import { decodeSlackEntities, escapeMrkdwn, mentionUser, quoteUserText } from './escape';
import { SLACK_LIMITS, truncate } from './limits';
import { inline, markdownToSegments, plainInline, repoLinkResolver } from './markdown';
import { MAX_OTHER_MATCHES, sectionMarkdown, sectionPath, sectionUrl } from './section';

/** `summary`: the first screen; a part key: that part of a symptom; `all`: the whole section. */
export type AnswerView = 'summary' | 'all' | PartKey;

export interface AnswerInput {
  section: Section;
  view: AnswerView;
  artifact: Pick<Artifact, 'runbooks' | 'sections' | 'checklists' | 'trees' | 'procedures'>;
  repoUrl: string;
  command: string;
  /** What the user typed (raw; escaped here, carried in buttons for feedback). */
  query?: string;
  /** Other good matches, best first. */
  others?: Section[];
  /** The answer shared in the channel by this user: the compact card, no buttons but the link. */
  sharedBy?: string;
  /** Lines under the title: who owns the runbook, when it was reviewed, the build (trust.ts). */
  trust?: readonly string[];
}

/** What an answer's buttons carry: references and the query as typed, never authority. */
export interface AnswerRef {
  view: AnswerView;
  id: string;
  query: string;
  others: string[];
}

/** The query kept in buttons (feedback records it): a question, not a document. */
export const MAX_REF_QUERY = 200;

/**
 * The query as buttons carry it and feedback records it (search.ts): on one line, within MAX_REF_QUERY
 * UTF-16 units, cut between code points (never half an emoji: a lone surrogate is not text UTF-8 can
 * encode). A no-match and the section opened after it then record the same query, which is how the
 * report pairs them (feedback-report.ts); applied again, it changes nothing.
 */
export function feedbackQuery(query: string): string {
  const line = query.replace(/\s+/g, ' ').trim();
  if (line.length <= MAX_REF_QUERY) return line;
  const last = line.charCodeAt(MAX_REF_QUERY - 1);
  return line.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_REF_QUERY - 1 : MAX_REF_QUERY);
}

/**
 * `view\nid\nquery\nother…`. The query goes escaped (`&lt;!channel&gt;`): a value is never displayed, but
 * nothing a user typed travels in a message as a live mention, even where Slack would not render it.
 */
export function encodeAnswerRef(ref: AnswerRef): string {
  return encodeRef(ref.view, ref.id, refQuery(ref.query), ref.others);
}

/** The query as a reference carries it (see `encodeAnswerRef`): made once per answer, for all its buttons. */
function refQuery(query: string): string {
  return escapeMrkdwn(feedbackQuery(query));
}

function encodeRef(view: AnswerView, id: string, query: string, others: readonly string[]): string {
  const short = `${view}\n${id}\n${query}`;
  let full = short;
  for (const other of others) full += `\n${other}`;
  return full.length <= SLACK_LIMITS.buttonValue ? full : short;
}

const VIEWS = new Set<string>(['summary', 'all', ...ANSWER_PARTS.map((p) => p.key)]);

export function decodeAnswerRef(value: string): AnswerRef | null {
  const [view = '', id = '', query = '', ...others] = value.split('\n');
  if (!VIEWS.has(view) || !id) return null;
  return { view: view as AnswerView, id, query: decodeSlackEntities(query), others: others.filter(Boolean) };
}

/** The declared checklist whose procedure holds `s` (the section itself, a step, or a phase of it). */
export function checklistFor(s: Section, artifact: AnswerInput['artifact']): Checklist | undefined {
  // A split artifact's index says which; that checklist alone is read (its own file), not rest.json.
  const known = sectionButtons(artifact);
  if (known) {
    const i = Object.hasOwn(known.checklists, s.id) ? known.checklists[s.id] : undefined;
    return i === undefined ? undefined : checklistAt(artifact, i);
  }
  const byId = sectionsById(artifact.sections);
  for (let cur: Section | undefined = s; cur; cur = cur.parent ? byId.get(cur.parent) : undefined) {
    const c = artifact.checklists.find((x) => x.sectionId === cur?.id);
    if (c) return c;
  }
  return undefined;
}

// Per artifact's section list: a split artifact finds a section through its runbook, any other list is
// mapped once (an answer walks up from its section; no map of every section per answer).
const sectionsById = sectionLookup;

/** A decision tree with a leaf that resolves to `s`. */
export function treeFor(s: Section, artifact: AnswerInput['artifact']): Pick<DecisionTree, 'id'> | undefined {
  const known = sectionButtons(artifact);
  if (known) return Object.hasOwn(known.trees, s.id) ? { id: known.trees[s.id]! } : undefined;
  return artifact.trees.find((t) => Object.values(t.nodes).some((n) => n.target === s.id));
}

const CODE_BLOCKS_BUDGET = { maxBlocks: 6, maxChars: 2800 };
/** "What you see" on the first screen: about two lines. */
const WHAT_YOU_SEE_CHARS = 200;
/** Frame blocks around a part's body: header, context, nav, others, feedback, notes. */
const PART_FRAME_BLOCKS = 8;

export function renderAnswer(input: AnswerInput): Message {
  const { section: s, artifact, repoUrl, sharedBy } = input;
  const byId = sectionsById(artifact.sections);
  // Parts, variables and the symptom's summary levels: the same for every question (answer-cache.ts).
  const kept = sectionRender(s, byId, repoUrl);
  const { parts } = kept;
  const view: AnswerView =
    input.view !== 'summary' && input.view !== 'all' && !parts.has(input.view) ? 'summary' : input.view;
  const url = kept.text('url', () => sectionUrl(repoUrl, s));
  const { resolveLink, convert, command } = converters(s, repoUrl, kept);
  const part = view !== 'summary' && view !== 'all' ? parts.get(view) : undefined;

  const blocks: Block[] = [header(s.title || s.anchor)];
  const where = [
    `:book: ${kept.text('path', () => escapeMrkdwn(sectionPath(s, artifact)))}${part ? ` › *${escapeMrkdwn(part.title)}*` : ''}`,
  ];
  if (sharedBy) where.push(`Shared by ${mentionUser(sharedBy, 'someone')}`);
  else if (input.query) where.push(`Best match for “${quoteUserText(input.query, 80)}”`);
  // One line: where it lives, who asked, who owns it and when it was reviewed (a warning on its own).
  const [facts, ...warnings] = input.trust ?? [];
  blocks.push(context(facts ? [...where, facts] : where, { verbatim: true }));
  if (warnings.length > 0) blocks.push(context(warnings));

  const body = (markdown: string, budget = CODE_BLOCKS_BUDGET) =>
    renderBody(markdownToSegments(withVariables(markdown, kept.variables), { resolveLink }), budget, convert);

  let truncated = false;
  let summary: ((level: number) => Summary) | undefined;
  if (part) {
    const rendered = body(part.markdown, {
      maxBlocks: SLACK_LIMITS.blocksPerMessage - PART_FRAME_BLOCKS - blocks.length,
      maxChars: SLACK_LIMITS.messageBlocksChars - 2500,
    });
    blocks.push(...(rendered.blocks.length > 0 ? rendered.blocks : [section('_Nothing written here yet._')]));
    truncated = rendered.truncated;
  } else if (view === 'all' || (parts.size === 0 && isShort(s, artifact))) {
    const rendered = body(sectionMarkdown(s, artifact.sections), {
      maxBlocks: SLACK_LIMITS.blocksPerMessage - PART_FRAME_BLOCKS - blocks.length,
      maxChars: SLACK_LIMITS.messageBlocksChars - 2500,
    });
    blocks.push(...rendered.blocks);
    truncated = rendered.truncated;
    if (rendered.blocks.length === 0)
      blocks.push(section(`This heading groups the sections below it. <${url}|Open it in the repository>.`));
  } else {
    // The section's answer card, read (one small file) when a level not yet kept is first needed.
    let card: AnswerCard | undefined | null = null;
    summary =
      parts.size > 0
        ? (level) =>
            keptSummary(
              kept,
              level,
              () => symptomSummary(parts, level, convert, command),
              () => {
                if (card === null) card = cardOf(artifact, s);
                return card?.summaries[level];
              },
            )
        : (level) => {
            const blocks = procedureSummary(s, input, level, convert, command);
            return { blocks, lines: screenLines(blocks) };
          };
  }
  if (truncated)
    blocks.push(section(`:scissors: *This part continues.* <${url}|Read the rest in the runbook>.`));

  if (sharedBy) {
    const tail = [
      context([
        `<${url}|Open in the repository> · \`${input.command} ${escapeMrkdwn(truncate(plainInline(s.title), 60))}\` shows it to you`,
      ]),
    ];
    return {
      text: fallback(`Shared runbook section: ${s.title} — ${s.summary} ${url}`),
      blocks: fit(blocks, summary, tail),
    };
  }

  // Each view's reference is encoded once (several buttons carry the summary's).
  const otherIds = (input.others ?? []).map((o) => o.id);
  const query = refQuery(input.query ?? '');
  const refs = new Map<AnswerView, string>();
  const ref = (v: AnswerView): string => {
    let value = refs.get(v);
    if (value === undefined) {
      value = encodeRef(v, s.id, query, otherIds);
      refs.set(v, value);
    }
    return value;
  };
  const feedback = [
    button({ text: ':thumbsup: Helpful', actionId: ActionIds.feedbackHelpful, value: ref('summary') }),
    button({ text: ':thumbsdown: Not this', actionId: ActionIds.feedbackNotThis, value: ref('summary') }),
  ];
  const tail: Block[] = [actions([...navButtons(s, view, parts, input, ref), ...feedback], 'answer.nav')];
  const shown = new Set([s.id, ...[...parts.values()].map((p) => p.id)]);
  const others = (input.others ?? []).filter((o) => !shown.has(o.id)).slice(0, MAX_OTHER_MATCHES);
  tail.push(
    context([
      `<${url}|Open in the repository> · Not it? Other words, \`${input.command} list\` or \`${input.command} help\`${others.length > 0 ? ' · *Other matches:*' : ''}`,
    ]),
  );
  if (others.length > 0) {
    tail.push(
      actions(
        others.map((o, n) =>
          button({
            text: otherLabel(o, artifact),
            actionId: `${ActionIds.openSection}:${n}`,
            value: encodeRef('summary', o.id, query, [
              s.id,
              ...others.filter((x) => x !== o).map((x) => x.id),
            ]),
          }),
        ),
        'answer.others',
      ),
    );
  }
  const text = kept.text('fallback', () => fallback(`Runbook: ${s.title} — ${s.summary} ${url}`));
  return { text, blocks: fit(blocks, summary, tail) };
}

/** The first screen of an answer: about this many lines of a laptop-wide Slack window (issue 20). */
export const FIRST_SCREEN_LINES = 15;
/** Characters of a line before Slack wraps it there, and buttons in a row. */
const LINE_CHARS = 110;
const BUTTONS_PER_ROW = 5;
/** Summary levels, richest first: the last one is the leanest (see `symptomSummary`). */
const LEVELS = 4;

/**
 * How many lines blocks take on screen, the way Slack lays them out (an estimate, on the high side): a
 * header, a context or a divider one line, a row of buttons one line, a section its lines wrapped.
 */
export function screenLines(blocks: readonly Block[]): number {
  let lines = 0;
  for (const block of blocks as unknown as Record<string, unknown>[]) {
    if (block['type'] === 'actions')
      lines += Math.ceil(((block['elements'] as unknown[]) ?? []).length / BUTTONS_PER_ROW);
    else if (block['type'] === 'section') {
      const text = (block['text'] as { text?: string } | undefined)?.text ?? '';
      for (const line of text.split('\n')) {
        if (/^```$/.test(line)) continue;
        lines += Math.max(1, Math.ceil(line.replace(/^```/, '').length / LINE_CHARS));
      }
    } else lines += 1;
  }
  return lines;
}

/**
 * Head, summary and tail: the richest summary that keeps the first screen within FIRST_SCREEN_LINES, else
 * the leanest (a code block is never cut to fit: the leanest levels leave the command to Fix or Show all).
 */
function fit(head: Block[], summary: ((level: number) => Summary) | undefined, tail: Block[]): Block[] {
  if (!summary) return [...head, ...tail];
  const frame = screenLines(head) + screenLines(tail);
  let content: readonly Block[] = [];
  for (let level = 0; level < LEVELS; level++) {
    const { blocks, lines } = summary(level);
    content = blocks;
    if (frame + lines <= FIRST_SCREEN_LINES) break;
  }
  return [...head, ...content, ...tail];
}

/** A summary level's blocks and the screen lines they take. */
interface Summary {
  blocks: readonly Block[];
  lines: number;
}

/**
 * A symptom's summary at `level`, made on its section's first answer and shared (frozen) after; taken from
 * the section's answer card when the artifact has one (made at build time by this same code, `answerCard`).
 */
function keptSummary(
  kept: SectionRender,
  level: number,
  make: () => Block[],
  carded: () => Block[] | undefined,
): Summary {
  let summary = kept.summaries[level];
  if (!summary) {
    const blocks = deepFreeze(carded() ?? make());
    summary = { blocks, lines: screenLines(blocks) };
    kept.summaries[level] = summary;
  }
  return summary;
}

/** How an answer turns a section's Markdown into mrkdwn and its commands into blocks (links to `repoUrl`). */
function converters(s: Section, repoUrl: string, kept: Pick<SectionRender, 'variables'>) {
  const resolveLink = repoLinkResolver(repoUrl, s.file);
  const convert = (md: string) => inline(md, { resolveLink });
  // A command that does not fit whole is not shown (null): a part of it pasted would run something else.
  const command = (md: string): Block[] | null => {
    const rendered = renderBody(
      markdownToSegments(compactExports(withVariables(md, kept.variables)), { resolveLink }),
      CODE_BLOCKS_BUDGET,
      convert,
    );
    return rendered.truncated ? null : rendered.blocks;
  };
  return { resolveLink, convert, command };
}

/**
 * A symptom's first screen made ahead (issue 21): its summary at every level, which is all of an answer's
 * first screen that needs the section's Markdown (the rest is the section's title, path and buttons, the
 * question and the other matches). Nothing in it depends on the question.
 */
export interface AnswerCard {
  summaries: Block[][];
}

/**
 * Build time (scripts/bundle.ts, written into the split artifact): the answer card of `s`, made by the
 * code an answer runs. Undefined when `s` is no symptom, or when its summary links into the repository (the
 * repository's URL is set at deploy time, RUNBOOK_REPO_URL): such a summary is made at run time.
 */
export function answerCard(s: Section, artifact: AnswerInput['artifact']): AnswerCard | undefined {
  const byId = sectionsById(artifact.sections);
  const kept = { parts: partsOf(s, byId), variables: variablesFor(s, byId) };
  if (kept.parts.size === 0) return undefined;
  const [card, other] = CARD_REPO_URLS.map((repoUrl) => {
    const { convert, command } = converters(s, repoUrl, kept);
    return {
      summaries: Array.from({ length: LEVELS }, (_, level) =>
        symptomSummary(kept.parts, level, convert, command),
      ),
    };
  });
  return JSON.stringify(card) === JSON.stringify(other) ? card : undefined;
}

/** Build time: each symptom's answer card (`answerCard`), by section id (scripts/bundle.ts writes them). */
export function answerCards(artifact: AnswerInput['artifact']): Map<string, AnswerCard> {
  const cards = new Map<string, AnswerCard>();
  for (const s of artifact.sections) {
    const card = answerCard(s, artifact);
    if (card) cards.set(s.id, card);
  }
  return cards;
}

/** Two repository URLs that share nothing: a card made alike with both holds no link into the repository. */
const CARD_REPO_URLS = ['https://card-a.invalid/runbooks', 'http://b.invalid/x/y/z'] as const;

function cardOf(artifact: AnswerInput['artifact'], s: Section): AnswerCard | undefined {
  return answerCardOf(artifact, s.id) as AnswerCard | undefined;
}

/** Characters of the first fix's words on the first screen, at each level (about two lines, then one). */
const LEAD_CHARS = [230, 230, 95, 95];

/**
 * "What you see" in a line or two, and the first fix: its first sentences and its command (variables
 * included, on as few lines as they fit). Leaner levels show one line of What you see, fewer words of the
 * fix, and at the last the command is left to Fix (a code block is never cut), as it is at every level
 * when it is too long for the first screen.
 */
function symptomSummary(
  parts: ReadonlyMap<PartKey, Section>,
  level: number,
  convert: (md: string) => string,
  command: (md: string) => Block[] | null,
): Block[] {
  const out: Block[] = [];
  const seen = parts.get('w');
  if (seen) {
    // One or two lines: the first item, and the second when both are short.
    const [first = '', second] = firstLines(seen.markdown, 2).map((l) => plainInline(l));
    const both = level === 0 && second && first.length + second.length <= WHAT_YOU_SEE_CHARS;
    const text = both
      ? `${first} · ${second}`
      : cutAtWord(first, level === 0 ? WHAT_YOU_SEE_CHARS : LINE_CHARS - 20);
    if (text) out.push(section(`*What you see:* ${escapeMrkdwn(text)}`));
  }
  const fix = parts.get('f');
  const { lead, command: code } = leadAndCommand(fix ? firstItem(fix.markdown) : '');
  if (lead || code) {
    const words = lead ? convert(leadSentences(lead, LEAD_CHARS[level] ?? 120)) : '';
    const shown = code && level < LEVELS - 1 ? command(code) : null;
    const more = code && !shown ? ' _(its command: *Fix*)_' : '';
    out.push(section(`*Try first:* ${words}${more}`));
    if (shown) out.push(...shown);
  }
  return out;
}

/** `text` within `max` characters, cut after a whole word. */
function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const space = text.lastIndexOf(' ', max - 1);
  return `${text.slice(0, space > max / 2 ? space : max - 1).replace(/[\s,;:(]+$/, '')}…`;
}

/** A procedure's summary, and the step the question names with its command. */
function procedureSummary(
  s: Section,
  input: AnswerInput,
  level: number,
  convert: (md: string) => string,
  command: (md: string) => Block[] | null,
): Block[] {
  const out: Block[] = [];
  const checklist = checklistFor(s, input.artifact);
  const step = checklist && input.query ? namedStep(checklist, input.query) : undefined;
  if (!step) {
    if (s.summary) out.push(section(truncate(convert(s.summary), 600)));
    return out;
  }
  // The step asked about comes first: the summary gives way to it, down to its first sentence, then none.
  if (s.summary && level < 2) out.push(section(convert(leadSentences(s.summary, level === 0 ? 330 : 200))));
  const { lead, command: code } = leadAndCommand(step.markdown.replace(/^\s*\*\*[^*]+\*\*[.:]?[ \t]*/, ''));
  const rest = lead ? convert(leadSentences(lead, level < 3 ? 230 : 95)) : '';
  const words = rest && !/^[,;:.]/.test(rest) ? ` ${rest}` : rest;
  const shown = code ? command(code) : null;
  const more = code && !shown ? ' _(its command: *Show all*)_' : '';
  out.push(section(`*Step ${step.n}: ${escapeMrkdwn(step.title)}*${words}${more}`));
  if (shown) out.push(...shown);
  return out;
}

const STEP_NOISE = new Set([
  'the',
  'and',
  'how',
  'what',
  'when',
  'for',
  'with',
  'our',
  'step',
  'steps',
  'now',
]);

/** The step of `checklist` whose title words the query shares most, if one stands out. */
function namedStep(checklist: Checklist, query: string): StepItem | undefined {
  // The words that name the procedure itself ("roll back") say nothing about which step.
  const own = new Set(
    `${checklist.title} ${checklist.commands.join(' ')}`.toLowerCase().match(/[a-z0-9]{3,}/g) ?? [],
  );
  const words = new Set(
    (query.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []).filter((w) => !own.has(w) && !STEP_NOISE.has(w)),
  );
  let best: StepItem | undefined;
  let bestScore = 0;
  let tie = false;
  for (const item of checklist.items) {
    if (item.type !== 'step') continue;
    const title = new Set(item.title.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []);
    const score = [...words].filter((w) => title.has(w)).length;
    if (score > bestScore) {
      best = item;
      bestScore = score;
      tie = false;
    } else if (score === bestScore && score > 0) tie = true;
  }
  return best && !tie ? best : undefined;
}

/** A section whose whole text fits the first screen. */
function isShort(s: Section, artifact: AnswerInput['artifact']): boolean {
  const md = sectionMarkdown(s, artifact.sections);
  return md.length <= 700 && md.split('\n').length <= 12 && !md.includes('```');
}

function navButtons(
  s: Section,
  view: AnswerView,
  parts: ReadonlyMap<PartKey, Section>,
  input: AnswerInput,
  ref: (v: AnswerView) => string,
): Button[] {
  const out: Button[] = [];
  const viewButton = (text: string, v: AnswerView) =>
    button({
      text,
      actionId: `${ActionIds.answerPart}:${v}`,
      value: ref(v),
      ...(view === v ? { style: 'primary' as const } : {}),
    });
  if (parts.size > 0) {
    if (view !== 'summary') out.push(viewButton('Summary', 'summary'));
    for (const p of ANSWER_PARTS) {
      if (p.key === 'w' || p.key === 'c' || !parts.has(p.key)) continue;
      out.push(viewButton(p.title, p.key));
    }
  } else if (view === 'all') {
    out.push(viewButton('Summary', 'summary'));
  } else if (!isShort(s, input.artifact)) {
    out.push(viewButton('Show all', 'all'));
  }
  // The declared checklist the section belongs to, else the numbered procedure shown (the section, or the
  // part open in place: a symptom's Diagnosis or Fix).
  const shown = view === 'summary' || view === 'all' ? s : (parts.get(view) ?? s);
  const declared = checklistFor(s, input.artifact);
  const runnable = declared?.commands[0] ? declared : procedureFor(input.artifact, shown.id);
  if (runnable)
    out.push(button({ text: 'Run as checklist', actionId: ActionIds.runChecklist, value: runnable.id }));
  const tree = treeFor(s, input.artifact);
  if (tree) out.push(button({ text: 'Walk the tree', actionId: ActionIds.treeStart, value: tree.id }));
  out.push(button({ text: 'Share', actionId: ActionIds.shareSection, value: ref(view) }));
  return out;
}

/**
 * The heading above `o` in its `headings` path (`headings[headings.length - 2]`), from ids, titles and
 * parents alone: a split artifact has those in its index, so labelling the other matches does not read each
 * one's runbook file. A file's single leading `#` title is not part of the path (model.ts): a top-level
 * parent that is its runbook's title (the runbook has one, and it is the file's first section) is left out.
 */
export function parentHeading(
  o: Pick<Section, 'parent'>,
  artifact: Pick<Artifact, 'runbooks' | 'sections'>,
): string | undefined {
  const p = o.parent ? sectionsById(artifact.sections).get(o.parent) : undefined;
  if (!p) return undefined;
  if (p.parent !== null) return p.title;
  const file = p.id.slice(0, p.id.lastIndexOf('#'));
  const runbook = artifact.runbooks.find((r) => r.file === file);
  const isTitle = runbook !== undefined && runbook.title !== runbook.file && runbook.sections[0] === p.id;
  return isTitle ? undefined : p.title;
}

function otherLabel(o: Section, artifact: Pick<Artifact, 'runbooks' | 'sections'>): string {
  const parent = parentHeading(o, artifact);
  const label = parent && o.title.length < 30 ? `${o.title} (${parent})` : o.title;
  return truncate(label, SLACK_LIMITS.buttonText);
}
