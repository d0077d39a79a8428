/** A runbook the compiler cannot accept. Its message starts with `file:line` so editors can jump to it. */
export class RunbookCompileError extends Error {
  override readonly name = 'RunbookCompileError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

/** Several compile errors at once, so one build reports every broken place. */
export class RunbookCompileErrors extends Error {
  override readonly name = 'RunbookCompileErrors';

  constructor(readonly errors: RunbookCompileError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}
