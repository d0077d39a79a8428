/**
 * Route 53 failover record sets (`<!-- bot: records=<id> -->` + table) and notification templates
 * (`<!-- bot: template=<id> -->` + one ```text block).
 */

import type { FailoverRecord, Template } from '../model/model';
import { requireTable } from './contacts';
import { RunbookCompileError } from './errors';
import type { ParsedSection } from './sections';

const RECORD_COLUMNS = [
  'hosted zone id',
  'record name',
  'type',
  'set identifier',
  'failover',
  'region',
  'health check id',
  'target',
] as const;

const NONE = /^(|-|—|–|none|n\/a)$/i;

export function compileRecords(file: string, sections: ParsedSection[]): Record<string, FailoverRecord[]> {
  const out: Record<string, FailoverRecord[]> = {};
  for (const ps of sections) {
    const id = ps.section.directives['records'];
    // A checklist's `records=` refers to a record set; only a section without `checklist` defines one.
    if (id === undefined || ps.section.directives['checklist'] !== undefined) continue;
    if (id === 'true') throw new RunbookCompileError(file, ps.section.line, 'records= needs an id');
    const { table, col } = requireTable(file, ps, RECORD_COLUMNS, `record set "${id}"`);
    const records: FailoverRecord[] = table.rows.map((row, k) => {
      const get = (c: string) => (row[col[c] ?? -1] ?? '').trim();
      const failover = get('failover').toUpperCase();
      if (failover !== 'PRIMARY' && failover !== 'SECONDARY') {
        throw new RunbookCompileError(
          file,
          table.line + 2 + k,
          `Failover must be PRIMARY or SECONDARY, got "${get('failover')}"`,
        );
      }
      const healthCheckId = get('health check id');
      return {
        hostedZoneId: get('hosted zone id'),
        name: get('record name'),
        type: get('type').toUpperCase(),
        setIdentifier: get('set identifier'),
        failover,
        region: get('region'),
        healthCheckId: NONE.test(healthCheckId) ? null : healthCheckId,
        value: get('target'),
      };
    });
    if (records.length === 0)
      throw new RunbookCompileError(file, table.line, `record set "${id}" has no rows`);
    out[id] = [...(out[id] ?? []), ...records];
  }
  return out;
}

export function compileTemplates(file: string, sections: ParsedSection[]): Template[] {
  const out: Template[] = [];
  for (const ps of sections) {
    const id = ps.section.directives['template'];
    if (id === undefined) continue;
    if (id === 'true') throw new RunbookCompileError(file, ps.section.line, 'template= needs an id');
    const block = ps.section.code.find((c) => c.lang === 'text');
    if (!block)
      throw new RunbookCompileError(file, ps.section.line, `template "${id}" needs a \`\`\`text block`);
    const placeholders = [...new Set([...block.code.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)].map((m) => m[1]!))];
    const { template: _id, keywords: _k, ...hints } = ps.section.directives;
    out.push({
      id,
      text: block.code,
      placeholders,
      sectionId: ps.section.id,
      ...(Object.keys(hints).length > 0 ? { directives: hints } : {}),
    });
  }
  return out;
}
