/**
 * Which checklist a text starts: needs only the artifact, so routing (`claimText`) decides without loading
 * the checklists feature (see ./manifest.ts).
 */
import type { Checklist } from '../../../runbooks/model/model';

/** The compiler's command normalisation: lower case, every run of non-letters/digits one space. */
export function normalizePhrase(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function findChecklistByPhrase(checklists: readonly Checklist[], text: string): Checklist | undefined {
  const phrase = normalizePhrase(text);
  if (!phrase) return undefined;
  return checklists.find((c) => c.commands.includes(phrase));
}
