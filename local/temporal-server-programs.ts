/**
 * Finds the Temporal server and its schema tool for the native production stack, at a release of
 * temporal-server-releases.ts. The current release: $TEMPORAL_SERVER_PATH and $TEMPORAL_SQL_TOOL_PATH, then
 * `temporal-server` and `temporal-sql-tool` on PATH (their names in Temporal's images), then our cache, else both
 * are built with a local Go from the server's module. An earlier release, which a database made by it is upgraded
 * through, only from our cache or that build: the variables and PATH name the current one.
 */
import { resolveGoPrograms, type GoPrograms, type ResolveOptions } from './go-programs';
import { TEMPORAL_SERVER_VERSION } from './temporal-server-releases';

function serverPrograms(release: string): GoPrograms {
  const current = release === TEMPORAL_SERVER_VERSION;
  return {
    what: current ? 'the Temporal server' : `the Temporal server ${release}`,
    cacheName: `temporal-server-${release}`,
    packages: [`go.temporal.io/server/cmd/server@${release}`, `go.temporal.io/server/cmd/tools/sql@${release}`],
    programs: [
      { name: 'temporal-server', goName: 'server', envVar: 'TEMPORAL_SERVER_PATH' },
      { name: 'temporal-sql-tool', goName: 'sql', envVar: 'TEMPORAL_SQL_TOOL_PATH' },
    ],
    onlyBuilt: !current,
    otherWays: `or copy both from the temporalio/server and temporalio/admin-tools images of ${release.slice(1)}`,
  };
}

export interface TemporalServerPrograms {
  server: string;
  sqlTool: string;
}

export async function resolveTemporalServerPrograms(
  opts: ResolveOptions = {},
  release: string = TEMPORAL_SERVER_VERSION,
): Promise<TemporalServerPrograms> {
  const found = await resolveGoPrograms(serverPrograms(release), opts);
  return { server: found['temporal-server'], sqlTool: found['temporal-sql-tool'] };
}
