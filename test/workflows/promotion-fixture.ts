/**
 * A small promotion runbook (Markdown, as the runbooks owner writes them) and its compiled artifact, so
 * the end-to-end tests do not depend on the exact content of runbooks/, and can edit the Markdown.
 */
import { compileRunbookSources } from '../../src/runbooks/compile/compile';
import type { Artifact } from '../../src/runbooks/model/model';

export const PROMOTION_MD = `# Promotion

## Promote SIT to PROD
<!-- bot: checklist=promote-sit-prod command="promote sit prod|promote sit to prod" title="Promote SIT → PROD" -->

Promote the release candidate from SIT to PROD.

1. **Freeze SIT.** Announce the freeze in #releases so nobody deploys to SIT meanwhile.
2. **Run the regression suite.** Run it from the release tag:

   \`\`\`bash
   npm run test:regression
   \`\`\`

> **Approval gate: SIT → PROD release.** Approvers: Security, Architecture.

3. **Deploy to PROD.** Start the production pipeline for the release tag.
   <!-- bot: step=deploy-prod check=fixture-evidence -->
`;

export async function compileMarkdown(files: Record<string, string>): Promise<Artifact> {
  return compileRunbookSources(
    Object.entries(files).map(([file, source]) => ({ file, source })),
    { skipTrees: true },
  );
}
