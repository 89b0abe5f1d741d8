/** A local S3 server for a test file, and the checks made on what landed in its buckets. */
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { freePort } from '../../local/ports';
import { LOCAL_S3_CREDENTIALS, startLocalS3, type LocalS3 } from '../../local/s3-server';
import type { Manifest } from '../../src/shared/delivery-manifest';

export class TestBucket {
  private constructor(
    readonly server: LocalS3,
    readonly s3: S3Client,
  ) {}

  static async start(bucket: string): Promise<TestBucket> {
    const server = await startLocalS3({ port: await freePort(), bucket });
    const s3 = new S3Client({
      endpoint: server.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: 'x' },
    });
    return new TestBucket(server, s3);
  }

  /** The variables that make a worker deliver to this server. */
  get workerEnv(): Record<string, string> {
    return { DELIVER_S3_ENDPOINT: this.server.endpoint, ...LOCAL_S3_CREDENTIALS };
  }

  async createBucket(bucket: string): Promise<void> {
    await this.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }

  /** Every key under the prefix. */
  async keys(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key as string));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async bytes(bucket: string, key: string): Promise<Buffer> {
    const reply = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await (reply.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  }

  async multihash(bucket: string, key: string): Promise<string> {
    return `1220${createHash('sha256')
      .update(await this.bytes(bucket, key))
      .digest('hex')}`;
  }

  async manifest(bucket: string, key: string): Promise<Manifest> {
    return JSON.parse((await this.bytes(bucket, key)).toString('utf8')) as Manifest;
  }

  /** The multipart uploads still open in the bucket, with how many parts each holds. */
  async openUploads(bucket: string): Promise<Array<{ key: string; parts: number }>> {
    // gofakes3 answers NoSuchUpload for a bucket that has had no upload yet.
    const page = await this.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket })).catch((err: Error) => {
      if (err.name === 'NoSuchUpload') return { Uploads: [] };
      throw err;
    });
    const open: Array<{ key: string; parts: number }> = [];
    for (const upload of page.Uploads ?? []) {
      const parts = await this.s3.send(
        new ListPartsCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }),
      );
      open.push({ key: upload.Key as string, parts: parts.Parts?.length ?? 0 });
    }
    return open;
  }

  async close(): Promise<void> {
    this.s3.destroy();
    await this.server.stop();
  }
}
