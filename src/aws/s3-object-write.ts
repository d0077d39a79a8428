/**
 * S3 `PutObject` of the failover switch: the exact body the runbook declares, as one regional write in the
 * bucket's region (data plane). S3 reads after a write are strongly consistent, so the next health checker
 * request already sees it.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type CallOptions, callAws } from './call';
import { PUT_OBJECT } from './switch-operations';
import type { SwitchObjectWrite } from './types';

export { PUT_OBJECT } from './switch-operations';

export async function putSwitchObject(
  client: S3Client,
  input: { bucket: string; key: string; body: string },
  options: CallOptions = {},
): Promise<SwitchObjectWrite> {
  const out = await callAws(
    PUT_OBJECT,
    (abortSignal) =>
      client.send(
        new PutObjectCommand({
          Bucket: input.bucket,
          Key: input.key,
          Body: input.body,
          ContentType: input.body.trimStart().startsWith('{')
            ? 'application/json'
            : 'text/plain; charset=utf-8',
          CacheControl: 'no-store',
        }),
        { abortSignal },
      ),
    options,
  );
  return { etag: out.ETag ?? null, versionId: out.VersionId ?? null };
}
