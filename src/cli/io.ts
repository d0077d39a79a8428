/** Where the CLI writes; injectable so tests can run commands in-process too. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  stdin: NodeJS.ReadableStream;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stdin: process.stdin,
};
