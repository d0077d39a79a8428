/**
 * A part of a report that may have failed on its own: one denied or throttled call must not sink the whole
 * `/runbook status`, so each part carries either its value or the failure to show next to it.
 */
import { AwsCallError, type AwsOperation } from './errors';

export interface PartFailure {
  service: string;
  action: string;
  message: string;
  retryable: boolean;
}

export type Part<T> = { ok: true; value: T } | { ok: false; failure: PartFailure };

export async function settle<T>(work: Promise<T>): Promise<Part<T>> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    return { ok: false, failure: toPartFailure(error) };
  }
}

export function toPartFailure(error: unknown): PartFailure {
  if (error instanceof AwsCallError) return failureOf(error.operation, error.userMessage, error.retryable);
  return {
    service: 'AWS',
    action: 'unknown',
    message: 'Something went wrong while talking to AWS. Retry; if it keeps failing, escalate.',
    retryable: true,
  };
}

function failureOf(op: AwsOperation, message: string, retryable: boolean): PartFailure {
  return { service: op.service, action: op.action, message, retryable };
}
