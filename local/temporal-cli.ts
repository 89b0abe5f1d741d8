/**
 * Finds the Temporal CLI (which runs the local dev server and the namespace job) without ever downloading it:
 * $TEMPORAL_CLI_PATH, then `temporal` on PATH, then our cache, else a build with a local Go.
 */
import { goProgramsCacheDir, resolveGoPrograms, type GoPrograms, type ResolveOptions } from './go-programs';

// The newest release that builds from the Go module proxy: later ones (up to v1.9.1) replace their nested module
// github.com/temporalio/cli/cliext with a directory that the published module leaves out, so `go install` refuses
// them and no other build can find that module. Its dev server embeds Temporal server v1.29.1.
const TEMPORAL_CLI_VERSION = 'v1.5.1';

const TEMPORAL_CLI: GoPrograms = {
  what: 'the Temporal CLI',
  cacheName: `temporal-${TEMPORAL_CLI_VERSION}`,
  packages: [`github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`],
  programs: [{ name: 'temporal', goName: 'temporal', envVar: 'TEMPORAL_CLI_PATH' }],
  otherWays:
    'or, on a machine with internet, `curl -sSf https://temporal.download/cli.sh | sh` or `brew install temporal`',
};

/** `${XDG_CACHE_HOME:-~/.cache}/datacosmos-purchase/temporal-v1.5.1`: where a built CLI is kept. */
export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return goProgramsCacheDir(TEMPORAL_CLI, env);
}

export async function resolveTemporalCli(opts: ResolveOptions = {}): Promise<string> {
  return (await resolveGoPrograms(TEMPORAL_CLI, opts)).temporal;
}
