/**
 * A local S3-compatible server for delivery to a bucket: gofakes3 (multipart uploads, ListParts and
 * ListMultipartUploads included), built from its Go module into our cache like the Temporal programs, never
 * downloaded as a release binary. It does not check signatures: any access key works.
 */
import { spawnLogged, describeExit, type LoggedChild } from './child-process';
import { resolveGoPrograms, type GoPrograms, type ResolveOptions } from './go-programs';

const GOFAKES3_VERSION = 'v1.2.0';

const GOFAKES3: GoPrograms = {
  what: 'the local S3 server (gofakes3)',
  cacheName: `gofakes3-${GOFAKES3_VERSION}`,
  packages: [`github.com/johannesboyne/gofakes3/cmd/gofakes3@${GOFAKES3_VERSION}`],
  programs: [{ name: 'gofakes3', goName: 'gofakes3', envVar: 'GOFAKES3_PATH' }],
  otherWays: `or build it yourself: \`go install github.com/johannesboyne/gofakes3/cmd/gofakes3@${GOFAKES3_VERSION}\``,
};

/** Credentials for it (it accepts any); a worker delivering to it needs some for the AWS SDK to sign with. */
export const LOCAL_S3_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local-secret' } as const;

export interface LocalS3 extends LoggedChild {
  endpoint: string;
  bucket: string;
}

export interface LocalS3Options extends ResolveOptions {
  port: number;
  /** Created at start. */
  bucket: string;
  /** Objects kept in this directory; unset: in memory. */
  dataDir?: string;
  logFile?: string;
}

export async function startLocalS3(opts: LocalS3Options): Promise<LocalS3> {
  const program = (await resolveGoPrograms(GOFAKES3, opts)).gofakes3;
  const backend = opts.dataDir ? ['-backend', 'fs', '-fs.path', opts.dataDir, '-fs.create'] : ['-backend', 'memory'];
  const child = spawnLogged(
    program,
    ['-host', `127.0.0.1:${opts.port}`, '-initialbucket', opts.bucket, '-quiet', ...backend],
    { logFile: opts.logFile, stopGraceMs: 5_000 },
  );
  const endpoint = `http://127.0.0.1:${opts.port}`;
  try {
    await untilAnswering(`${endpoint}/${opts.bucket}`, child);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { ...child, endpoint, bucket: opts.bucket };
}

/** Polls until the bucket answers (the server is up), or fails when the server exits or stays silent for 30 s. */
async function untilAnswering(url: string, child: LoggedChild): Promise<void> {
  let exit: string | undefined;
  child.exited.then((e) => (exit = describeExit(e))).catch(() => undefined);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exit) throw new Error(`the local S3 server ${exit}: ${String(child.lastLine)}`);
    const ok = await fetch(url, { method: 'HEAD' }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the local S3 server did not answer on ${url} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
