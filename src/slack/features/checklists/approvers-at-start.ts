/**
 * The approvers file, read once per app: by the checklists manifest's `validate` when the app is created
 * (a malformed file stops start-up), and handed to the checklist runtime when that feature loads, instead
 * of reading and parsing the file again on the first checklist interaction. Kept out of the checklist
 * modules so the cold-start chunk needs only this and src/workflows/approvers.ts.
 */
import { type Approvers, ApproversFileMissingError, loadApprovers } from '../../../workflows/approvers';
import type { AppDeps } from '../../deps';

const read = new WeakMap<AppDeps, Approvers | ApproversFileMissingError>();

/** The app's approvers, or the error saying the file is missing; a malformed file throws (and is not kept). */
export function approversOf(deps: AppDeps): Approvers | ApproversFileMissingError {
  let approvers = read.get(deps);
  if (!approvers) {
    try {
      approvers = loadApprovers(deps.config.approversFile);
    } catch (error) {
      if (!(error instanceof ApproversFileMissingError)) throw error;
      approvers = error;
    }
    read.set(deps, approvers);
  }
  return approvers;
}
