/** scripts/npm-audit.ts: what CI does with `npm audit --omit=dev --json`. */
import { describe, expect, it } from 'vitest';
import { judgeAudit } from '../../scripts/npm-audit';

const report = (vulnerabilities: Record<string, number>) =>
  JSON.stringify({ auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities } });

describe('judgeAudit', () => {
  it('fails on a moderate, high or critical finding', () => {
    expect(judgeAudit(report({ info: 0, low: 0, moderate: 1, high: 0, critical: 0, total: 1 }), 1)).toEqual({
      verdict: 'findings',
      message: 'npm audit --omit=dev: 1 moderate',
    });
    expect(judgeAudit(report({ low: 2, critical: 1, total: 3 }), 1).verdict).toBe('findings');
  });

  it('passes a clean report, and one with low findings only (named)', () => {
    expect(judgeAudit(report({ info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 }), 0)).toEqual({
      verdict: 'clean',
      message: 'npm audit --omit=dev: no known vulnerability',
    });
    expect(judgeAudit(report({ low: 2, total: 2 }), 1)).toEqual({
      verdict: 'clean',
      message: 'npm audit --omit=dev: 2 low',
    });
  });

  it('does not fail, but says so, when the registry refuses the audit (as this one does: 405)', () => {
    const refused = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
    });
    expect(judgeAudit(refused, 1)).toEqual({
      verdict: 'unavailable',
      message:
        'the registry did not answer the audit: 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
    });
    expect(judgeAudit('', 1).verdict).toBe('unavailable');
  });
});
