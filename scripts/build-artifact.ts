/** `npm run build:artifact`: runbooks/ → build/artifact.json; exits non-zero (file:line) on any error. */
import { buildArtifactFile } from '../src/cli/build';
import { processIO } from '../src/cli/io';

const [dir = 'runbooks', out = 'build/artifact.json'] = process.argv.slice(2);
buildArtifactFile(dir, out, processIO).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `build:artifact failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);
