/**
 * Runs one AWS call under a deadline and turns any failure into an `AwsCallError`. The SDK clients carry
 * their own connection/request timeouts and retries (src/aws/clients.ts); this deadline bounds the whole
 * call including retries, and also holds when a stubbed client never answers.
 */
import { type AwsOperation, classifyAwsError } from './errors';

export interface CallOptions {
  /** Deadline for the whole call, retries included. */
  timeoutMs?: number;
}

export const DEFAULT_CALL_TIMEOUT_MS = 8_000;

class DeadlineError extends Error {
  override readonly name = 'TimeoutError';
}

export async function callAws<T>(
  op: AwsOperation,
  run: (abortSignal: AbortSignal) => Promise<T>,
  options: CallOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineError(`${op.service} ${op.action} took longer than ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(controller.signal), deadline]);
  } catch (error) {
    throw classifyAwsError(op, error);
  } finally {
    clearTimeout(timer);
  }
}
