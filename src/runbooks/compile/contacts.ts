/**
 * Contacts (`<!-- bot: contacts -->` + a `Level | Role | Who | Phone | When to escalate` table) and
 * escalation paths (`<!-- bot: escalation=<id> -->` + an ordered list of `**L1 — Role:** ...` items).
 */

import type { Contact, EscalationPath, Table } from '../model/model';
import { RunbookCompileError } from './errors';
import { blockText, inlineText } from './markdown';
import type { ParsedSection } from './sections';

const CONTACT_COLUMNS = ['level', 'role', 'who', 'phone', 'when to escalate'] as const;

/** Finds the table whose header has all `columns` (case-insensitive) and maps column name → index. */
export function requireTable(
  file: string,
  ps: ParsedSection,
  columns: readonly string[],
  what: string,
): { table: Table; col: Record<string, number> } {
  for (const table of ps.section.tables) {
    const header = table.header.map((h) => h.toLowerCase().trim());
    const col: Record<string, number> = {};
    for (const c of columns) col[c] = header.indexOf(c);
    if (columns.every((c) => (col[c] ?? -1) >= 0)) return { table, col };
  }
  const got = ps.section.tables[0]?.header.join(' | ') ?? 'no table';
  throw new RunbookCompileError(
    file,
    ps.section.tables[0]?.line ?? ps.section.line,
    `${what} needs a table with columns ${columns.join(' | ')} (found: ${got})`,
  );
}

export function compileContacts(file: string, sections: ParsedSection[]): Contact[] {
  const out: Contact[] = [];
  for (const ps of sections) {
    if (ps.section.directives['contacts'] === undefined) continue;
    const { table, col } = requireTable(file, ps, CONTACT_COLUMNS, 'a contacts section');
    for (const row of table.rows) {
      const get = (c: string) => (row[col[c] ?? -1] ?? '').trim();
      out.push({
        level: get('level'),
        role: get('role'),
        who: get('who'),
        phone: get('phone'),
        when: get('when to escalate'),
      });
    }
    if (table.rows.length === 0)
      throw new RunbookCompileError(file, table.line, 'contacts table has no rows');
  }
  return out;
}

const LEVEL = /^(L\d+|Level\s*\d+)\s*[—–:-]?\s*/i;

export function compileEscalationPaths(file: string, sections: ParsedSection[]): EscalationPath[] {
  const out: EscalationPath[] = [];
  for (const ps of sections) {
    const id = ps.section.directives['escalation'];
    if (id === undefined) continue;
    if (id === 'true') throw new RunbookCompileError(file, ps.section.line, 'escalation= needs an id');
    const steps: EscalationPath['steps'] = [];
    for (const lt of ps.body) {
      if (lt.token.type !== 'list' || !lt.token.ordered) continue;
      for (const item of lt.token.items) {
        const first = item.tokens[0];
        const lead = first && 'tokens' in first && Array.isArray(first.tokens) ? first.tokens : [];
        const strong = lead[0]?.type === 'strong' ? inlineText([lead[0]]).trim() : '';
        const rest = blockText(item.tokens).replace(/\s+/g, ' ').trim();
        const bold = strong.replace(/[:.]\s*$/, '');
        const level = LEVEL.exec(bold)?.[1]?.replace(/\s+/g, ' ') ?? bold;
        const label = bold.replace(LEVEL, '').trim();
        const text = strong && rest.startsWith(strong) ? rest.slice(strong.length).trim() : rest;
        steps.push({ level, label, text });
      }
      break;
    }
    if (steps.length === 0) {
      throw new RunbookCompileError(
        file,
        ps.section.line,
        `escalation path "${id}" has no ordered list of levels`,
      );
    }
    out.push({
      id,
      title: ps.section.directives['title'] ?? ps.section.title,
      steps,
      sectionId: ps.section.id,
    });
  }
  return out;
}
