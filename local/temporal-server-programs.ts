/**
 * Finds the Temporal server and its schema tool for the native production stack, at the version the Temporal
 * CLI embeds and docker-compose.yml pins: $TEMPORAL_SERVER_PATH and $TEMPORAL_SQL_TOOL_PATH, then
 * `temporal-server` and `temporal-sql-tool` on PATH (their names in Temporal's images), then our cache, else
 * both are built with a local Go from the server's module.
 */
import { resolveGoPrograms, type GoPrograms, type ResolveOptions } from './go-programs';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

const TEMPORAL_SERVER: GoPrograms = {
  what: 'the Temporal server',
  cacheName: `temporal-server-${TEMPORAL_SERVER_VERSION}`,
  packages: [
    `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`,
    `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
  ],
  programs: [
    { name: 'temporal-server', goName: 'server', envVar: 'TEMPORAL_SERVER_PATH' },
    { name: 'temporal-sql-tool', goName: 'sql', envVar: 'TEMPORAL_SQL_TOOL_PATH' },
  ],
  otherWays: `or copy both from the temporalio/server and temporalio/admin-tools images of ${TEMPORAL_SERVER_VERSION.slice(1)}`,
};

export interface TemporalServerPrograms {
  server: string;
  sqlTool: string;
}

export async function resolveTemporalServerPrograms(opts: ResolveOptions = {}): Promise<TemporalServerPrograms> {
  const found = await resolveGoPrograms(TEMPORAL_SERVER, opts);
  return { server: found['temporal-server'], sqlTool: found['temporal-sql-tool'] };
}
