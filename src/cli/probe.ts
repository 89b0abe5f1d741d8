/** `dcp probe`: what the configured DataCosmos API answers to each call a purchase makes, read-only. */
import fs from 'node:fs';
import path from 'node:path';
import { probeApi, type ProbeReport } from '../datacosmos/probe';
import { CliError, ExitCode } from '../shared/errors';
import { withContext } from './context';
import { formatTable, printJson } from './output';

export async function probe(options: {
  contract?: number;
  order?: string;
  save?: string;
  json: boolean;
}): Promise<void> {
  await withContext(async (ctx) => {
    const d = ctx.settings.datacosmos;
    const report = await probeApi(
      { ...d, paths: d.paths, pricing: d.pricing },
      { organisationId: d.organisationId, contractId: options.contract, orderId: options.order },
    );
    if (options.save) saveRecords(options.save, report);
    if (options.json) printJson({ usable: report.usable, endpoints: report.rows });
    else process.stdout.write(`${formatReport(report)}\n`);
    if (report.unreachable) {
      throw new CliError(`the token endpoint of ${d.authUrl} cannot be reached`, ExitCode.UNAVAILABLE);
    }
    if (!report.usable) {
      const missing = report.rows.filter((row) => row.needed && !row.ok).map((row) => row.endpoint);
      throw new CliError(
        `the API does not answer everything a purchase needs: ${missing.length ? missing.join(', ') : 'no price endpoint reads'}`,
        ExitCode.API_ERROR,
      );
    }
  });
}

function formatReport(report: ProbeReport): string {
  const rows = report.rows.map((row) => [
    row.endpoint,
    `${row.method} ${row.path}`,
    String(row.status),
    row.ok ? 'ok' : row.needed ? 'FAILED' : 'no',
    row.detail,
  ]);
  return formatTable(['ENDPOINT', 'REQUEST', 'HTTP', 'READS', 'DETAIL'], rows);
}

/** DIR/NN-ENDPOINT.json, one per exchange, in the order they were made. */
function saveRecords(dir: string, report: ProbeReport): void {
  fs.mkdirSync(dir, { recursive: true });
  report.records.forEach((record, i) => {
    const file = path.join(dir, `${String(i + 1).padStart(2, '0')}-${record.endpoint}.json`);
    fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  });
  process.stderr.write(`saved ${report.records.length} replies in ${dir}\n`);
}
