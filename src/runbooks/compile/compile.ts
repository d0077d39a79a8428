/**
 * Runbooks → artifact. Reads every `*.md` of a directory (sorted), parses each into sections, then derives
 * checklists, contacts, escalation paths, Route 53 record sets, templates, decision trees and the search
 * index. Any problem fails the whole build with `file:line: reason` messages: a partial artifact is
 * never produced.
 */

import {
  ARTIFACT_VERSION,
  type Artifact,
  type Checklist,
  type EscalationPath,
  type Template,
} from '../model/model';
import {
  hashSources,
  PHRASINGS_FILE,
  type RunbookSource,
  readPhrasingsText,
  readRunbookSources,
} from '../model/source-hash';
import { compileCanaryCriteria } from './canary';
import { compileChecklists, compileProcedures } from './checklists';
import { compileContacts, compileEscalationPaths } from './contacts';
import { compileDrParts, crossCheckDr, mergeDrParts } from './dr-tables';
import { RunbookCompileError, RunbookCompileErrors } from './errors';
import { learnPhrasings, type Phrasings, parsePhrasings } from './learn';
import { compileRecords, compileTemplates } from './records';
import { buildSearchData } from './search-index';
import { type ParsedFile, parseRunbookFile } from './sections';
import { compileTrees } from './trees';

export interface CompileOptions {
  /** Skip decision trees (they load mermaid, which is slow); for tests of other parts. */
  skipTrees?: boolean;
  /**
   * How people asked (runbooks/phrasings.json, learn.ts): the search learns from it. `compileRunbooks`
   * reads the directory's own file; absent, the ranking alone answers.
   */
  phrasings?: Phrasings;
}

export async function compileRunbooks(dir: string, options: CompileOptions = {}): Promise<Artifact> {
  const sources = await readRunbookSources(dir);
  if (sources.length === 0)
    throw new RunbookCompileErrors([new RunbookCompileError(dir, 0, 'no *.md runbooks')]);
  const phrasings = options.phrasings ?? (await readPhrasings(dir));
  return compileRunbookSources(sources, { ...options, ...(phrasings ? { phrasings } : {}) });
}

/** The directory's phrasings.json, if it has one; one that does not parse fails the build. */
export async function readPhrasings(dir: string): Promise<Phrasings | undefined> {
  const text = await readPhrasingsText(dir);
  if (text === undefined) return undefined;
  try {
    return parsePhrasings(text);
  } catch (err) {
    throw new RunbookCompileErrors([
      new RunbookCompileError(PHRASINGS_FILE, 0, err instanceof Error ? err.message : String(err)),
    ]);
  }
}

export async function compileRunbookSources(
  sources: readonly RunbookSource[],
  options: CompileOptions = {},
): Promise<Artifact> {
  const errors: RunbookCompileError[] = [];
  const collect = <T>(fallback: T, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof RunbookCompileError || err instanceof RunbookCompileErrors) {
        errors.push(...(err instanceof RunbookCompileErrors ? err.errors : [err]));
        return fallback;
      }
      throw err;
    }
  };

  const sorted = [...sources].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const files = sorted
    .map((s) => collect<ParsedFile | null>(null, () => parseRunbookFile(s.file, s.source)))
    .filter((f): f is ParsedFile => f !== null);

  const artifact: Artifact = {
    version: ARTIFACT_VERSION,
    sourceHash: hashSources(sorted, options.phrasings),
    runbooks: files.map((f) => f.runbook),
    sections: files.flatMap((f) => f.sections.map((p) => p.section)),
    checklists: [],
    procedures: [],
    trees: [],
    contacts: [],
    escalationPaths: [],
    records: {},
    templates: {},
    switches: {},
    warmups: {},
    dnsChecks: {},
    alarms: {},
    canary: {},
    search: {
      ids: [],
      messages: [],
      terms: [],
      postings: [],
      fuzzy: null,
      norms: [],
      lengths: [],
      synonyms: {},
      stopWords: [],
    },
  };
  for (const f of files) {
    const file = f.runbook.file;
    const declared = collect<Checklist[]>([], () => compileChecklists(file, f.sections));
    artifact.checklists.push(...declared);
    artifact.procedures?.push(...collect<Checklist[]>([], () => compileProcedures(file, f.sections)));
    artifact.contacts.push(...collect([], () => compileContacts(file, f.sections)));
    artifact.escalationPaths.push(...collect([], () => compileEscalationPaths(file, f.sections)));
    for (const [id, records] of Object.entries(collect({}, () => compileRecords(file, f.sections)))) {
      if (artifact.records[id])
        errors.push(new RunbookCompileError(file, 0, `record set "${id}" defined twice`));
      artifact.records[id] = records;
    }
    for (const t of collect<Template[]>([], () => compileTemplates(file, f.sections))) {
      if (artifact.templates[t.id])
        errors.push(at(artifact, t.sectionId, `template "${t.id}" defined twice`));
      artifact.templates[t.id] = t;
    }
    for (const criteria of collect([], () => compileCanaryCriteria(file, f.sections))) {
      if (artifact.canary![criteria.id])
        errors.push(
          new RunbookCompileError(file, criteria.line, `canary criteria "${criteria.id}" defined twice`),
        );
      artifact.canary![criteria.id] = criteria;
    }
    const dr = collect(null, () => compileDrParts(file, f.sections));
    if (dr) errors.push(...mergeDrParts(artifact, dr, file));
  }
  errors.push(...compileAlarms(artifact));
  errors.push(...crossCheck(artifact), ...crossCheckDr(artifact, (id, reason) => at(artifact, id, reason)));
  if (errors.length > 0) throw new RunbookCompileErrors(errors);

  artifact.search = buildSearchData(artifact.sections, artifact.runbooks, {
    records: Object.values(artifact.records).flat(),
  });
  // Queries naming a section the runbooks no longer have are left out (`runbook lint` names them).
  if (options.phrasings) artifact.search.learned = learnPhrasings(options.phrasings, artifact.search).learned;
  if (!options.skipTrees) {
    try {
      artifact.trees = await compileTrees(artifact.sections, artifact);
    } catch (err) {
      if (err instanceof RunbookCompileError) throw new RunbookCompileErrors([err]);
      throw err;
    }
  }
  return artifact;
}

/** References between parts: unique ids and commands, and that `records=` / `notify=` name something. */
function crossCheck(artifact: Artifact): RunbookCompileError[] {
  const errors: RunbookCompileError[] = [];
  const unique = <T>(items: T[], key: (t: T) => string[], where: (t: T) => string, what: string) => {
    const seen = new Map<string, T>();
    for (const item of items) {
      for (const k of key(item)) {
        if (seen.has(k)) errors.push(at(artifact, where(item), `${what} "${k}" is used twice`));
        seen.set(k, item);
      }
    }
  };
  unique<Checklist>(
    [...artifact.checklists, ...(artifact.procedures ?? [])],
    (c) => [c.id],
    (c) => c.sectionId,
    'checklist id',
  );
  unique<Checklist>(
    artifact.checklists,
    (c) => c.commands,
    (c) => c.sectionId,
    'checklist command',
  );
  unique<EscalationPath>(
    artifact.escalationPaths,
    (e) => [e.id],
    (e) => e.sectionId,
    'escalation path',
  );
  for (const c of artifact.checklists) {
    if (c.records !== null && !artifact.records[c.records]) {
      errors.push(
        at(artifact, c.sectionId, `checklist "${c.id}" uses records=${c.records}, which no section defines`),
      );
    }
    for (const item of c.items) {
      const criteria = item.type === 'step' ? item.directives['criteria'] : undefined;
      if (item.type === 'step' && item.directives['monitor'] === 'canary' && !criteria) {
        errors.push(
          at(artifact, item.sectionId, `step "${item.id}" monitors a canary but names no criteria= table`),
        );
      } else if (criteria !== undefined && !artifact.canary?.[criteria]) {
        errors.push(
          at(
            artifact,
            item.sectionId,
            `step "${item.id}" uses criteria=${criteria}, which no canary-criteria table defines`,
          ),
        );
      }
      const notify = item.type === 'step' ? item.directives['notify'] : undefined;
      if (notify && !artifact.templates[notify]) {
        errors.push(
          at(
            artifact,
            item.sectionId,
            `step "${item.id}" notifies template "${notify}", which does not exist`,
          ),
        );
      }
    }
  }
  return errors;
}

/** `alarms="api-5xx bedrock-throttles"` on a section → the alarm map; one section per alarm. */
function compileAlarms(artifact: Artifact): RunbookCompileError[] {
  const errors: RunbookCompileError[] = [];
  const alarms: Record<string, string> = {};
  for (const section of artifact.sections) {
    for (const name of alarmNamesOf(section.directives)) {
      const other = alarms[name];
      if (other !== undefined && other !== section.id)
        errors.push(at(artifact, section.id, `alarm "${name}" is already answered by ${other}`));
      else alarms[name] = section.id;
    }
  }
  artifact.alarms = alarms;
  return errors;
}

/** The alarm names a section's `alarms=` directive lists. */
export function alarmNamesOf(directives: Record<string, string>): string[] {
  return (directives['alarms'] ?? '').split(/[\s,]+/).filter(Boolean);
}

function at(artifact: Artifact, sectionId: string, reason: string): RunbookCompileError {
  const s = artifact.sections.find((x) => x.id === sectionId);
  return new RunbookCompileError(s?.file ?? sectionId, s?.line ?? 0, reason);
}
