/**
 * Search fields and heading vocabulary: one definition for the index built at compile time
 * (compile/search-index.ts) and the ranker that reads it (rank.ts), so the two cannot drift apart.
 */
import type { SearchDoc } from '../model/model';
import { gated } from './gated';

/**
 * Heading words and error messages say most about a section; its body least. The order is the bit order
 * of the index's field masks.
 */
export const SEARCH_KEYS = [
  { name: 'title', weight: 4 },
  { name: 'symptom', weight: 3 },
  { name: 'keywords', weight: 3 },
  { name: 'path', weight: 2 },
  { name: 'body', weight: 1 },
] as const satisfies readonly { name: keyof SearchDoc; weight: number }[];

/** A field's bit in the index's posting masks (SEARCH_KEYS order). */
const fieldBit = (name: (typeof SEARCH_KEYS)[number]['name']): number =>
  1 << SEARCH_KEYS.findIndex((k) => k.name === name);
/** The title's bit in a posting's field mask. */
export const TITLE_MASK = fieldBit('title');
/** The keywords' bit. */
export const KEYWORDS_MASK = fieldBit('keywords');
/** Title, symptom, keywords and path: the heading-like fields' bits. */
export const HEADING_MASK = SEARCH_KEYS.reduce((m, k, i) => (k.name === 'body' ? m : m | (1 << i)), 0);

/** Sub-headings of a troubleshooting symptom: the symptom heading is the better answer to show. */
export const SYMPTOM_PARTS = [
  'what you see',
  'likely causes',
  'diagnosis',
  'fix',
  'verify',
  'escalate',
] as const;

/** Whether a heading is one of a symptom's sub-headings (What you see, Fix, …), whatever its case. */
export function isSymptomPart(title: string): boolean {
  return (SYMPTOM_PARTS as readonly string[]).includes(title.toLowerCase());
}

/** `"Token expired" — Cognito refresh` → message `Token expired`, cause `Cognito refresh`; the quotes and dashes as
 * escapes (scripts/bundle.ts assertOneByteSource). */
export const SYMPTOM_TITLE = /^["\u201c](.+?)["\u201d]\s*[\u2014\u2013-]+\s*(.+)$/;

/** Query words that ask for one part of a symptom ("verify token expired" → its Verify). */
export const PART_WORDS: Readonly<Record<string, string>> = {
  fix: 'fix',
  fixes: 'fix',
  resolve: 'fix',
  workaround: 'fix',
  verify: 'verify',
  verification: 'verify',
  diagnose: 'diagnosis',
  diagnosis: 'diagnosis',
  investigate: 'diagnosis',
  cause: 'likely causes',
  causes: 'likely causes',
  escalate: 'escalate',
  escalation: 'escalate',
};

/** "how do I …", "steps to …": the asker wants a procedure (a checklist), not a description. */
export const PROCEDURE_INTENT =
  /^(how (do|can|should) (i|we)|how to|steps to|procedure (for|to)|what are the steps)\b/;

/**
 * "builder is borked after the release, roll it back", "prod is on fire, back it out", "fail over now",
 * "primary's been green for hours, let's fail back", "run the failover to ireland": a clause that opens with a
 * procedure's verb, or with running the procedure, is an instruction to run it, whatever the rest describes;
 * asked with a question mark ("…, fail over?", `BARE_ASK`) it is a question whether to.
 */
const IMPERATIVE_PROCEDURE_PATTERN =
  /(^|[,;:.!]|\b(so|then|and|just|now|pls|please|let[\u2019']?s|let us)\b)\s*(please\s+)?(roll (it |this |that |everything |them )?back|rollback|back (it |this |that |everything )?out|revert( it| this| that)?|yank (it|this|that|the release)|fail (it |us |everything )?(over|back)|(run|start|kick off|trigger|execute) (the |a |our )?(dr )?(failover|failback|rollback))\b/;
export const IMPERATIVE_PROCEDURE = gated(IMPERATIVE_PROCEDURE_PATTERN, [
  'roll',
  'back',
  'revert',
  'yank',
  'fail',
]);

/**
 * "warm-up all READY, what's the next step", "cutback gate has both signatures, next?", "what's left of the
 * deploy": the asker has done a step and asks for the one after it (engine.ts `nextStep`). Not "what now":
 * as often "what do I do about this" ("plan says the table must be replaced, what now") as "what comes next".
 */
export const NEXT_STEP = gated(
  /\b(what next|what(?:['\u2019]?s| is| comes) next|next (?:step|move|part|phase)|then what|what(?:['\u2019]?s| is) left|comes after|what(?:['\u2019]?s| is) after (?:that|this))\b|\bnext\s*\?/i,
  ['next', 'then', 'left', 'after'],
);

/** "who do I wake up", "who is the IC": the asker wants people, and a contacts table lists them. */
export const PERSON_INTENT = /(^|\s)(who|whom|whose)(\s|$)/;

/**
 * "which region is our primary", "why does generation go to Ireland", "what runs in eu-west-1": a question
 * of fact, answered by a reference section; "what do I do …", "what should we …" ask for a procedure.
 */
const FACT_INTENT_PATTERN =
  /^(which|where|why|what(?!\s+(do|should|can|must)\s+(i|we|you)\s+(do|try)\b)(?!\s+now\b)(?!\s+next\b))\b/;
export const FACT_INTENT = gated(FACT_INTENT_PATTERN, ['which', 'where', 'why', 'what']);

/**
 * "how does the cognito login work", "explain how bedrock is called", "how is the dynamodb data replicated",
 * "walk me through the deploy flow": the asker wants to understand how something works, which the pages
 * that describe the system answer, not a symptom of its failing nor a step of a procedure. "how do I …",
 * "how to …" ask for a procedure (`PROCEDURE_INTENT`).
 */
const EXPLANATION_INTENT_PATTERN =
  /^(how (does|do|is|are) (?!(i|we|you)\b)(\S+ ){1,6}(work|works|working|flow|flows|happen|happens|served|stored|replicated|called|invoked|routed|handled|built|deployed|secured|authenticated|authorised|authorized|talk|talks|connect|connects|stream|streams|fit)\b|explain (how|what|why|the|our)\b|walk (me|us) through (how|the (\S+ )?(flow|architecture|design|path))\b)/;
export const EXPLANATION_INTENT = gated(EXPLANATION_INTENT_PATTERN, ['how', 'explain', 'walk']);

/**
 * "… while af-south-1 is unavailable", "… now that Ireland is serving", "… since the failover": the asker is
 * in a situation, not asking how the system works in general; the situation's sections answer.
 */
export const SITUATION_CLAUSE =
  /(^|\s)(while|now that|since|during|until|after|right now|at the moment)(\s|$)/;

/**
 * "would failing over help", "will rolling back fix it", "would failing over buy us anything": what acting
 * would change, weighed as a decision is (rank.ts `weighedProcedures`), and one of the questions of what an
 * outage does (`IMPACT_INTENT`).
 */
const ACTION_EFFECT_PATTERN = /(^|\s)(would|will|could|can|does|do) (\S+\s){1,5}(help|fix|buy)(\s|$)/;
export const ACTION_EFFECT = gated(ACTION_EFFECT_PATTERN, ['help', 'fix', 'buy']);

/**
 * The people a system serves: a place named next to them ("london users", "customers in Frankfurt") is where
 * they are, not a region asked about (kinds.ts `namesStrayPlace`); an everyday subject after them is their
 * situation (`SITUATION_WORDS`).
 */
export const SERVED_PEOPLE = [
  'users',
  'user',
  'customers',
  'customer',
  'tenants',
  'tenant',
  'clients',
  'client',
  'visitors',
  'people',
] as const;

/**
 * "Ireland went down, is generation affected", "what happens to sign-in if Cape Town dies", "can tenants
 * still generate if Cape Town is down", "does publishing still work": what a region's outage does to the
 * system, which the table of what each region hosts answers ("can we still fail over" asks about an action).
 * "would failing over fix it", "will generation stop": whether the other region changes anything. "can
 * customers in south africa still make websites", "does generation keep working": the same, said of the
 * people served or of a thing that keeps going.
 */
const IMPACT_INTENT_PATTERN = new RegExp(
  [
    /(^|\s)(affected|affect|affects|impact|impacts|impacted|happens|happen|survive|survives|depend|depends)(\s|$)/,
    /(^|\s)(can|could|will|would|does|do) (?!(we|i|you)\s)(\S+\s){1,2}still(\s|$)/,
    new RegExp(
      `(^|\\s)(can|could|will|would) (our |the )?(${SERVED_PEOPLE.join('|')})( \\S+){0,3} still(\\s|$)`,
    ),
    /(^|\s)still works?(\s|$)/,
    /(^|\s)keeps? (working|running|going)(\s|$)/,
    ACTION_EFFECT_PATTERN,
    /(^|\s)(will|would|does|did) (\S+\s){1,2}(stop|break)(\s|$)/,
  ]
    .map((re) => re.source)
    .join('|'),
);
export const IMPACT_INTENT = gated(IMPACT_INTENT_PATTERN, [
  'affect',
  'impact',
  'happen',
  'surviv',
  'depend',
  'still',
  'keep',
  'help',
  'fix',
  'buy',
  'stop',
  'break',
]);

/**
 * "signed up while we ran out of Ireland, can't log in now that we're back", "since the failback they can't
 * sign in", "sso hangs, how do we get in to run the failover": a problem met around a regional failover or
 * failback, or while the other region served. The disaster-recovery runbook's own sections (what the move
 * does to sign-in, access during an outage, the notices) answer it as well as a symptom does, so symptoms
 * gain nothing for the problem words (rank.ts `preferSymptomsForProblems`).
 */
const DR_PERIOD_PATTERN =
  /(^|\s)(failover|failback|fail(ed)? (over|back)|(switched|moved) (over|back)|came back)(\s|$)/;
export const DR_PERIOD = gated(DR_PERIOD_PATTERN, ['fail', 'over', 'back']);

/**
 * "while we ran out of Ireland", "while we were serving from eu-west-1", "when we were on the DR side": serving
 * from a region, a period of the DR runbook's only when a region or the DR side follows (kinds.ts
 * `metAroundFailover`: "ran out of memory", "running from my laptop" are not). Group 2: what follows.
 */
const SERVED_FROM_PATTERN =
  /(^|\s)(?:ran|run|running|serving|served|were on|was on)(?: out of| from| on)? ((?:\S+ ?){1,3})/g;
export const SERVED_FROM = gated(SERVED_FROM_PATTERN, ['ran', 'run', 'serv', 'were on', 'was on']);

/** The standby side named without its region: "the DR side", "the backup region". */
export const DR_SIDE_WORDS: ReadonlySet<string> = new Set(['dr', 'backup', 'standby', 'secondary']);

/**
 * One's own devices and connections: an everyday subject (compile/terms/off-topic.ts) unless the query places
 * the problem on one or says it came from one ("the app loads fine *from my laptop*", "customers *on*
 * older laptops", `SITUATION_WORDS`), where it is the situation, not what is asked about (rank.ts).
 */
export const DEVICES: ReadonlySet<string> = new Set(
  'laptop laptops macbook wifi vpn router routers modem headphones headset earbuds airpods bluetooth keyboard webcam charger chargers voicemail scanner projector'.split(
    ' ',
  ),
);

/**
 * Words that place a reported problem in a situation ("drops *on* hotel wifi", "customers *behind* a VPN",
 * "*when* the laptop sleeps"), or name whose situation it is ("the *user's* laptop clock is wrong"): an
 * everyday subject after one is where it happened, not what is asked about.
 */
export const SITUATION_WORDS: ReadonlySet<string> = new Set([
  'on',
  'over',
  'behind',
  'via',
  'through',
  'from',
  'with',
  'using',
  'in',
  'at',
  'inside',
  'across',
  'when',
  'whenever',
  'while',
  'during',
  'after',
  'once',
  'if',
  ...SERVED_PEOPLE,
]);

/** A yes/no question about a state, in any words ("is Cape Town healthy enough to go back"). */
export const YES_NO_QUESTION = /^(is|are|has|have)\b/;

/** "is the standby on the same release", "are backups still on": a yes/no question about a state. */
const STATE_QUESTION_PATTERN = new RegExp(
  `${YES_NO_QUESTION.source} (the|our|there|it|we|this|that|all|both|every)\\b`,
);
export const STATE_QUESTION = gated(STATE_QUESTION_PATTERN, ['is', 'are', 'has', 'have']);

/**
 * "should we fail over", "do we roll back for this", "is that a failover?", "when to fail over", "decide
 * whether to fail over": the asker wants a procedure's criteria, not the procedure. "how do we fail over"
 * asks for the procedure itself.
 */
const DECISION_INTENT_PATTERN =
  /(^|\s)(should|shall|must) (we|i)(\s|$)|(?<!\b(how|what))(^|\s)(do|would) we (?!(have|use|run|know|keep|get|own|do)\b)|(^|\s)is (that|this|it) (a|worth)(\s|$)|(^|\s)when (to|should|do|would) |(^|\s)worth (it|failing|rolling)(\s|$)|(^|\s)whether (to|we|i)(\s|$)|(^|\s)or not(\s|$)|(^|\s)(is it|its|it s) time to |(^|\s)grounds (for|to)(\s|$)|(^|\s)at what point(\s|$)|(^|\s)good idea(\s|$)|(^|\s)(cant|can t|can) we just(\s|$)/;
export const DECISION_INTENT = gated(DECISION_INTENT_PATTERN, [
  'should',
  'shall',
  'must',
  'we',
  'is ',
  'when ',
  'worth',
  'whether',
  'or not',
  'time to',
  'grounds',
  'at what point',
  'good idea',
]);

/**
 * "5xx on a quarter of calls for 20 minutes, fail over?", "cape town's toast, flip to ireland?": a last
 * clause of a few words after a comma, stop or dash, asked with a question mark. When its words name a
 * procedure's command, the query asks whether to run it, as "should we fail over" does (kinds.ts
 * `asksBareCommand`). Group 1 is the clause.
 */
export const BARE_ASK = /(?:^|[,.;:!]|\s[-\u2013\u2014])\s*((?:[\w'-]+\s+){0,3}[\w'-]+)\s*\?+\s*$/;

/**
 * "what severity is it when half the logins fail", "what sev is that": the query asks which class of a
 * scale its situation falls in; the word after "what" names the scale.
 */
const CLASS_QUESTION_PATTERN =
  /(?:^|\s)(?:what|which) (\S+) (?:is|would be|would|does) (?:it|that|this)(?:\s|$)/;
export const CLASS_QUESTION = gated(CLASS_QUESTION_PATTERN, ['what', 'which']);

/** Heading words that mark the section holding a decision's criteria ("Manual: operational decision"). */
export const DECISION_HEADING_WORDS = ['decision', 'criteria'] as const;

/** A measured value ("6s", "4 seconds", "over 20%", "300 ms"): the query reports a reading. */
const MEASUREMENT_PATTERN =
  /\b\d+(\.\d+)?\s?(ms|s|sec|secs|seconds|min|mins|minutes|%|percent)(?![\p{L}\d])/iu;
export const MEASUREMENT = gated(MEASUREMENT_PATTERN, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/**
 * The keywords the compiler gives a section whose table states the regions' roles (compile/region-roles.ts):
 * the answer to a question of fact about the regions ("what runs in Ireland", "which regions do we use").
 */
export const REGION_ROLES_TOPIC = 'region roles';

/**
 * What a table of the regions' roles answers besides the roles: what runs, lives or is hosted where ("what
 * is hosted in Ireland", "where does the agent run"). The compiler adds them to such a table's keywords;
 * a place the runbooks never use (Frankfurt, Sydney) is a question about our regions only beside one of
 * them or REGION_WORDS ("anything of ours hosted in Frankfurt", not "the time in Sydney").
 */
export const HOSTING_WORDS = [
  'where',
  'run',
  'runs',
  'hosted',
  'hosts',
  'live',
  'lives',
  'located',
  'deployed',
] as const;

/** Words that make a place name a question about the system's regions. */
export const REGION_WORDS = [
  ...HOSTING_WORDS,
  'region',
  'regions',
  'aws',
  'host',
  'hosting',
  'running',
  'deploy',
  'based',
  'infrastructure',
  'infra',
  'stack',
  'datacenter',
  'datacentre',
] as const;

/** An AWS region code (`eu-west-1`): a query word or synonym that names a region. */
export const REGION_CODE = /^(us-gov|[a-z]{2})-[a-z]+-\d$/;
/** The same, as words within a text (`--region af-south-1`), every one. */
export const REGION_CODES = new RegExp(`\\b${REGION_CODE.source.slice(1, -1)}\\b`, 'g');

/** `Step 3: Update Route 53`: a numbered step of a procedure; its words after the number. */
export const STEP_TITLE = /^step\s+\d+\s*[:.)-]?\s*(.*)$/i;

/**
 * Verbs a task's title opens with, as the runbooks write tasks ("Invalidate the CloudFront cache", "Prune old
 * frontend assets"): a query opening with one asks to do that task (kinds.ts `preferTasksByTheirVerb`). Only
 * verbs: a title opening with a noun ("Route 53 records", "AWS credentials") is no task to be told.
 */
export const TASK_VERBS: ReadonlySet<string> = new Set([
  'add',
  'adjust',
  'clear',
  'create',
  'delete',
  'disable',
  'enable',
  'find',
  'get',
  'grant',
  'invalidate',
  'pause',
  'prune',
  'raise',
  'remove',
  'renew',
  'request',
  'reset',
  'restart',
  'restore',
  'resume',
  'revoke',
  'rotate',
  'scale',
  'silence',
  'update',
]);

/**
 * Who a question is passed on from ("marketing asks if …", "CS asking: …", "support lead: …", "new joiner
 * here, …", "a tenant's lawyer asks whether …"): the asker is not what the question is about, and their
 * words would otherwise weigh as words the answer must hold. Roles of the people who bring questions to
 * on-call (OPERATIONS' stakeholders and a new engineer), written by role, not from queries.
 */
const RELAY_ROLES =
  '(?:customer success|customer service|customer support|support|cs|marketing|sales|legal|lawyers?|finance|' +
  'accounts|execs?|exec team|leadership|management|ceo|cto|cfo|coo|ciso|manager|boss|product owner|po|pm|' +
  'product manager|product|release manager|rel mgr|account manager|comms|pr|auditors?|compliance|' +
  'new (?:joiner|hire|starter|engineer|person|guy|girl)|newbie|new on (?:the )?(?:rota|call|on-call|pager))';
/** A stakeholder's role, then what they ask or a colon/comma: "support lead:", "finance is asking why". */
const RELAY_ROLE_ASKS =
  `^(?:(?:a|an|the|our|my)\\s+)?(?:(?:client|customer|tenant)(?:s|'s|s')?\\s+)?${RELAY_ROLES}` +
  '(?:\\s+(?:team|lead|folks|people|here|person|manager))*\\s*(?:(?:is|are|keeps?)\\s+)?' +
  "(?:(?:asking|asks|ask|asked|wants? to know|wondering|wonders|says)(?![a-z'])|[:,-])";
/** A customer who asks, with the verb: "a customer in Kenya asks whether", "customers keep asking if". */
const RELAY_CUSTOMER_ASKS =
  '^(?:(?:a|an|the|our|some|one of our)\\s+)?(?:customers?|clients?|tenants?|users?)(?:\\s+\\S+){0,3}?\\s+' +
  "(?:(?:is|are|keeps?|keep)\\s+)?(?:asking|asks|ask|asked|wants? to know|wondering|wonder)(?![a-z'])";
const RELAYED_BY_PATTERN = new RegExp(
  `(?:${RELAY_ROLE_ASKS}|${RELAY_CUSTOMER_ASKS})\\s*(?:(?:us|me)\\s+)?(?:(?:if|whether)\\b)?\\s*`,
  'i',
);
export const RELAYED_BY = gated(RELAYED_BY_PATTERN, ['ask', 'want', 'wonder', 'says', ':', ',', '-']);

/**
 * Where an echoed message (compile/search-index.ts quotedMessages) prints a value: `still … after 15
 * minutes` matches `still IN_PROGRESS after 15 minutes` (one to three words in the gap).
 */
export const ECHO_GAP = '…';
