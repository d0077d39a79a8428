/**
 * The practice rules of `runbook lint` (src/runbooks/lint/practices.ts): each rule flags the mistake it
 * exists for, passes the corrected command, and findings carry file:line and the rule's name.
 */
import { describe, expect, it } from 'vitest';
import { extractCommands } from '../../../src/runbooks/lint/aws-words';
import { lintFile } from '../../../src/runbooks/lint/files';
import { awsServiceAndOperation, checkBlock, checkPractices } from '../../../src/runbooks/lint/practices';

/** The rules a snippet breaks, as `rule@line`. */
function broken(script: string): string[] {
  return checkBlock(extractCommands(script, new Map())).map((f) => `${f.rule}@${f.line}`);
}

describe('region-explicit', () => {
  it('flags a regional command that relies on AWS_REGION or the profile', () => {
    const script = 'export AWS_REGION=af-south-1\naws lambda get-alias --function-name f --name live';
    expect(broken(script)).toEqual(['region-explicit@2']);
  });

  it('accepts --region in any position and --region=value', () => {
    expect(broken('aws lambda get-alias --region "$AWS_REGION" --function-name f --name live')).toEqual([]);
    expect(broken('aws --region eu-west-1 logs tail /aws/lambda/f')).toEqual([]);
    expect(broken('aws s3 ls s3://b --region=af-south-1')).toEqual([]);
  });

  it('lets global services go without a region, and knows s3 is not one', () => {
    expect(broken('aws route53 get-health-check-status --health-check-id h')).toEqual([]);
    expect(broken('aws cloudfront list-invalidations --distribution-id D')).toEqual([]);
    expect(broken('aws iam list-mfa-devices --user-name u\naws sts get-caller-identity')).toEqual([]);
    expect(broken('aws s3 sync ./dist s3://bucket/')).toEqual(['region-explicit@1']);
  });

  it('finds commands inside loops, substitutions and `timeout`', () => {
    const script = [
      'for region in af-south-1 eu-west-1; do',
      '  V="$(aws lambda get-alias --function-name f --name live --query FunctionVersion --output text)"',
      'done',
      'timeout 30 aws logs tail /aws/lambda/f',
    ].join('\n');
    expect(broken(script)).toEqual(['region-explicit@2', 'region-explicit@4']);
  });
});

describe('CloudFront invalidations', () => {
  it('flags single files, and accepts /* and whole prefixes', () => {
    const bad = [
      "ID=$(aws cloudfront create-invalidation --distribution-id D1 --paths '/index.html' '/config.json' --query Invalidation.Id --output text)",
      'aws cloudfront wait invalidation-completed --distribution-id D1 --id "$ID"',
    ].join('\n');
    expect(broken(bad)).toEqual(['invalidation-paths@1', 'invalidation-paths@1']);
    const good = [
      "A=$(aws cloudfront create-invalidation --distribution-id D1 --paths '/*' --query Invalidation.Id --output text)",
      'aws cloudfront wait invalidation-completed --distribution-id D1 --id "$A"',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
      'B=$(aws cloudfront create-invalidation --distribution-id D2 --paths "/sites/${SITE_ID}/*" --query Invalidation.Id --output text)',
      'aws cloudfront wait invalidation-completed --distribution-id D2 --id "$B"',
    ].join('\n');
    expect(broken(good)).toEqual([]);
  });

  it('flags an invalidation nobody waits for, or a wait on another distribution', () => {
    expect(broken("aws cloudfront create-invalidation --distribution-id D1 --paths '/*'")).toEqual([
      'invalidation-wait@1',
    ]);
    const otherDistribution = [
      'export APP_DISTRIBUTION_ID=E1APP',
      'export SITES_DISTRIBUTION_ID=E2SITES',
      `ID=$(aws cloudfront create-invalidation --distribution-id "$APP_DISTRIBUTION_ID" --paths '/*' --query Invalidation.Id --output text)`,
      'aws cloudfront wait invalidation-completed --distribution-id "$SITES_DISTRIBUTION_ID" --id "$ID"',
    ].join('\n');
    expect(broken(otherDistribution)).toEqual(['invalidation-wait@3']);
  });

  it('matches the same variable however it is written, even when it has no value', () => {
    const script = [
      `ID=$(aws cloudfront create-invalidation --distribution-id "$DIST" --paths '/*' --query Invalidation.Id --output text)`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
      'aws cloudfront wait invalidation-completed --distribution-id "${DIST}" --id "$ID"',
    ].join('\n');
    expect(broken(script)).toEqual([]);
  });
});

describe('the other practice rules', () => {
  it('version-by-description', () => {
    const script = `aws lambda list-versions-by-function --region r --function-name f --query "Versions[?Description=='v1'].Version | [0]"`;
    expect(broken(script)).toEqual(['version-by-description@1']);
    expect(
      broken(
        'aws lambda list-versions-by-function --region r --function-name f --query Versions[-1].Version',
      ),
    ).toEqual([]);
  });

  it('update-needs-condition', () => {
    const update = `aws dynamodb update-item --region r --table-name t --key '{"id":{"S":"x"}}' --update-expression 'SET a = :a' --expression-attribute-values '{":a":{"N":"1"}}'`;
    expect(broken(update)).toEqual(['update-needs-condition@1']);
    expect(broken(`${update} --condition-expression 'attribute_exists(id)'`)).toEqual([]);
  });

  it('no-inverted-health-check', () => {
    expect(broken('aws route53 update-health-check --health-check-id h --inverted')).toEqual([
      'no-inverted-health-check@1',
    ]);
    expect(broken('aws route53 update-health-check --health-check-id h --no-inverted')).toEqual([]);
  });

  it('curl-timeout accepts -m, --max-time and `timeout`, and nothing else', () => {
    expect(broken('curl -fsS https://api.example/v1/health | jq .')).toEqual(['curl-timeout@1']);
    expect(broken('curl -fsS --connect-timeout 5 https://api.example/v1/health')).toEqual(['curl-timeout@1']);
    expect(broken('curl -fsS -m 20 https://a.example/\ncurl -sSm 20 https://b.example/')).toEqual([]);
    expect(
      broken('curl --max-time=20 https://a.example/\ntimeout -s KILL 120 curl -sSN https://b.example/'),
    ).toEqual([]);
  });

  it('reads the service and operation after global options', () => {
    expect(awsServiceAndOperation(['--profile', 'p', '--region', 'r', 'lambda', 'get-alias'])).toEqual([
      'lambda',
      'get-alias',
    ]);
    expect(awsServiceAndOperation(['--version'])).toEqual([undefined, undefined]);
  });
});

describe('checkPractices', () => {
  const md = [
    '# Runbook',
    '',
    '## Step',
    '',
    '```bash',
    'export AWS_REGION=af-south-1',
    'aws lambda get-alias --function-name f --name live',
    "aws cloudfront create-invalidation --distribution-id D --paths '/index.html'",
    '```',
    '',
  ].join('\n');

  it('reports file:line and the rule, with variables carried over from earlier blocks', () => {
    const issues = checkPractices([lintFile('runbooks', 'DEPLOYMENT.md', md)], {});
    expect(issues.map((i) => `${i.file}:${i.line} ${/\[([a-z-]+)\]$/.exec(i.message)?.[1]}`)).toEqual([
      'runbooks/DEPLOYMENT.md:7 region-explicit',
      'runbooks/DEPLOYMENT.md:8 invalidation-paths',
      'runbooks/DEPLOYMENT.md:8 invalidation-wait',
    ]);
    expect(issues[0]!.message).toBe(
      'aws lambda get-alias: regional command without --region; name the region it must act on [region-explicit]',
    );
  });

  it('holds back only the rules a pending file lists', () => {
    const issues = checkPractices([lintFile('runbooks', 'DEPLOYMENT.md', md)], {
      'DEPLOYMENT.md': ['region-explicit'],
    });
    expect(issues.map((i) => i.line)).toEqual([8, 8]);
  });
});
