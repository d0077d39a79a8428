/** S3 `GetObject` on the failover switch object, with a regional request in the bucket's region. */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type CallOptions, callAws } from './call';
import { GET_OBJECT } from './switch-operations';
import type { SwitchObject } from './types';

export { GET_OBJECT } from './switch-operations';

/** The switch is a few dozen bytes; more than this is not a switch body, and is read only in part. */
export const SWITCH_READ_BYTES = 16_384;

export async function getSwitchObject(
  client: S3Client,
  input: { bucket: string; key: string },
  options: CallOptions = {},
): Promise<SwitchObject> {
  return callAws(
    GET_OBJECT,
    async (abortSignal) => {
      const out = await client.send(
        new GetObjectCommand({
          Bucket: input.bucket,
          Key: input.key,
          Range: `bytes=0-${SWITCH_READ_BYTES - 1}`,
        }),
        { abortSignal },
      );
      return {
        body: (await out.Body?.transformToString('utf-8')) ?? '',
        etag: out.ETag ?? null,
        versionId: out.VersionId ?? null,
        lastModified: out.LastModified?.toISOString() ?? null,
      };
    },
    options,
  );
}
