/**
 * `dcp doctor`: whether a purchase on these settings would work now, spending nothing. One row per thing a purchase
 * needs (the settings and their target, a token, the contract it would use, the Temporal server and namespace, the
 * search attributes, a worker serving this target's queues, every API endpoint a purchase calls); exit 0 when all
 * of them are there, otherwise the first failing row and what to do about it.
 */
import { Client, Connection } from '@temporalio/client';
import { chooseContract } from '../activities/contracts';
import { loadSettings, settingsTarget, type Settings } from '../config/settings';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { probeApi, type ProbeReport } from '../datacosmos/probe';
import { CliError, ExitCode } from '../shared/errors';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { targetName } from '../shared/target';
import { claimsTaskQueue, datacosmosTaskQueue } from '../shared/task-queues';
import { searchAttributeState, type SearchAttributeState } from '../workflow-client/search-attribute-state';
import { isUnreachable } from '../workflow-client/grpc-status';
import { queuePollers, type QueueKind } from '../workflow-client/task-queue-pollers';
import { asCliFailure } from './activity-failure';
import { asCliError } from './context';
import { formatTable, printJson } from './output';

export interface DoctorOptions {
  contract?: number;
  order?: string;
  json: boolean;
}

export interface DoctorCheck {
  check: string;
  ok: boolean;
  detail: string;
  /** What to do when it fails. */
  fix?: string;
  /** The exit code when this is the first failing check. */
  exitCode?: ExitCode;
  /** Not answered, but a purchase does without it (an endpoint whose work another one does). */
  optional?: true;
}

/** Runs every check (none stops the others, except where one needs another's answer) and returns the exit code. */
export async function doctor(options: DoctorOptions): Promise<number> {
  const checks: DoctorCheck[] = [];
  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    checks.push({ check: 'settings', ok: false, detail: err.message, fix: SETTINGS_FIX, exitCode: err.exitCode });
    return report(checks, options.json);
  }
  checks.push(settingsCheck(settings));
  checks.push(...(await apiChecks(settings, options)));
  checks.push(...(await temporalChecks(settings)));
  return report(checks, options.json);
}

const SETTINGS_FIX =
  'set DATACOSMOS_CLIENT_ID, DATACOSMOS_CLIENT_SECRET and DATACOSMOS_ORGANISATION_ID (README "Configuration"), ' +
  'or run `dcp dev` for the local stack';

function settingsCheck(settings: Settings): DoctorCheck {
  const t = settings.temporal;
  const security = t.apiKey
    ? 'TLS with an API key'
    : t.tls?.clientCertPath
      ? 'TLS with a client certificate'
      : t.tls
        ? 'TLS'
        : 'plaintext';
  const source = settings.source === 'local-stack' ? 'the local stack file of `dcp dev`' : 'the environment';
  return {
    check: 'settings',
    ok: true,
    detail:
      `target ${targetName(settingsTarget(settings))} (API ${settings.datacosmos.apiUrl}), from ${source}; ` +
      `Temporal ${t.address}, namespace ${t.namespace}, ${security}; task queue ${t.taskQueue}`,
  };
}

/** Token, contract and the probe's endpoint rows: the API as a purchase will use it. */
async function apiChecks(settings: Settings, options: DoctorOptions): Promise<DoctorCheck[]> {
  const d = settings.datacosmos;
  const probe = await probeApi(
    { ...d },
    { organisationId: d.organisationId, contractId: options.contract, orderId: options.order },
  );
  const token = probe.rows.find((row) => row.endpoint === 'token');
  const checks: DoctorCheck[] = [
    token?.ok
      ? { check: 'token', ok: true, detail: `issued by ${d.authUrl} to client ${d.clientId}` }
      : {
          check: 'token',
          ok: false,
          detail: `${d.authUrl}: ${token?.status ?? 'no answer'} ${token?.detail ?? ''}`.trim(),
          fix: 'check DATACOSMOS_CLIENT_ID, DATACOSMOS_CLIENT_SECRET, DATACOSMOS_AUTH_URL and DATACOSMOS_AUDIENCE',
          exitCode: probe.unreachable ? ExitCode.UNAVAILABLE : ExitCode.API_ERROR,
        },
  ];
  if (token?.ok) checks.push(await contractCheck(settings, options.contract));
  checks.push(...endpointChecks(probe));
  return checks;
}

/** The contract a purchase would run under, by the rule a purchase uses. */
async function contractCheck(settings: Settings, contractId: number | undefined): Promise<DoctorCheck> {
  const { createDataCosmosClient } = await import('../config/datacosmos-client');
  const organisationId = settings.datacosmos.organisationId;
  try {
    const contracts = await createDataCosmosClient(settings, { retry: true }).listContracts(organisationId, {
      includeInactive: true,
    });
    const contract = await asCliFailure(async () => chooseContract(contracts, organisationId, new Date(), contractId));
    return {
      check: 'contract',
      ok: true,
      detail: `${contract.contractId} (${contract.name}, ${contract.currency}) of organisation ${organisationId}${contractId === undefined ? ', the default' : ''}`,
    };
  } catch (err) {
    const failure = asCliError(err);
    if (!(failure instanceof CliError)) throw err;
    return {
      check: 'contract',
      ok: false,
      detail: failure.message,
      fix: 'check DATACOSMOS_ORGANISATION_ID, or name an active contract with --contract',
      exitCode: failure.exitCode,
    };
  }
}

function endpointChecks(probe: ProbeReport): DoctorCheck[] {
  const pricedBySome = probe.rows.some((row) => (row.endpoint === 'price' || row.endpoint === 'price_batch') && row.ok);
  return probe.rows
    .filter((row) => row.endpoint !== 'token')
    .map((row) => {
      const needed = row.needed || ((row.endpoint === 'price' || row.endpoint === 'price_batch') && !pricedBySome);
      const ok = row.ok || !needed;
      return {
        check: `api ${row.endpoint}`,
        ok,
        detail: `${row.method} ${row.path}: ${row.status}${row.detail ? ` ${row.detail}` : ''}`,
        ...(row.ok || needed ? {} : { optional: true as const }),
        ...(ok
          ? {}
          : {
              fix: 'see `dcp probe` and docs/real-api.md: the DATACOSMOS_ORDER_*_PATH and DATACOSMOS_PRICING settings move what the docs do not confirm',
              exitCode: ExitCode.API_ERROR,
            }),
      };
    });
}

/** The server, the namespace, the search attributes and the workers of this target. */
async function temporalChecks(settings: Settings): Promise<DoctorCheck[]> {
  const t = settings.temporal;
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...temporalConnectionOptions(t), connectTimeout: '5s' });
  } catch (err) {
    return [
      {
        check: 'temporal',
        ok: false,
        detail: `cannot reach ${t.address}: ${(err as Error).message}`,
        fix: 'start Temporal (`dcp dev` runs one locally) or set TEMPORAL_ADDRESS, TEMPORAL_API_KEY or TEMPORAL_TLS_*',
        exitCode: ExitCode.UNAVAILABLE,
      },
    ];
  }
  try {
    const client = new Client({ connection, namespace: t.namespace });
    const server = await namespaceCheck(client, t.address);
    if (!server.ok) return [server];
    // One check that cannot be made is a failed row: none stops the others.
    const made = (check: string, run: () => Promise<DoctorCheck>) =>
      run().catch((err: Error): DoctorCheck => ({
        check,
        ok: false,
        detail: `could not be checked: ${err.message}`,
        exitCode: isUnreachable(err) ? ExitCode.UNAVAILABLE : ExitCode.FAILURE,
      }));
    return [
      server,
      await made('search attributes', () => searchAttributeCheck(client)),
      await made('worker', () => workerCheck(client, t.taskQueue)),
    ];
  } finally {
    await connection.close();
  }
}

async function namespaceCheck(client: Client, address: string): Promise<DoctorCheck> {
  const namespace = client.options.namespace;
  try {
    const info = await client.workflowService.getSystemInfo({});
    await client.workflowService.describeNamespace({ namespace });
    return {
      check: 'temporal',
      ok: true,
      detail: `${address}, server ${info.serverVersion || 'of unknown version'}, namespace ${namespace}`,
    };
  } catch (err) {
    return {
      check: 'temporal',
      ok: false,
      detail: `${address}, namespace ${namespace}: ${(err as Error).message}`,
      fix: `create the namespace (\`temporal operator namespace create --namespace ${namespace}\`) or set TEMPORAL_NAMESPACE`,
      exitCode: ExitCode.UNAVAILABLE,
    };
  }
}

async function searchAttributeCheck(client: Client): Promise<DoctorCheck> {
  const namespace = client.options.namespace;
  return searchAttributeVerdict(await searchAttributeState(client.connection, namespace), namespace);
}

/**
 * What a purchase needs is that Temporal maps every attribute (its start sets them): the query naming them all is
 * the test, and the listing names what to register. Where listing them is refused (an operator service that is
 * not open to this caller), the query alone decides.
 */
export function searchAttributeVerdict(state: SearchAttributeState, namespace: string): DoctorCheck {
  const check = 'search attributes';
  const count = Object.keys(SEARCH_ATTRIBUTES).length;
  const { missing, listRefusal, queryRefusal } = state;
  if (missing?.length) {
    return {
      check,
      ok: false,
      detail: `missing on ${namespace}: ${missing.join(', ')}`,
      fix: missing
        .map(
          (name) =>
            `temporal operator search-attribute create --namespace ${namespace} --name ${name} --type ${SEARCH_ATTRIBUTES[name]}`,
        )
        .join('; '),
      exitCode: ExitCode.UNAVAILABLE,
    };
  }
  if (queryRefusal === undefined) {
    const detail = listRefusal
      ? `${count} usable (a query naming them all is accepted; listing them was refused: ${listRefusal})`
      : `${count} registered and usable`;
    return { check, ok: true, detail };
  }
  if (missing) {
    return {
      check,
      ok: false,
      detail: `registered on ${namespace}, but a query naming them is refused: ${queryRefusal}`,
      fix:
        'Temporal maps attributes within seconds of their registration: run `dcp doctor` again; if it stays, ' +
        `check them with \`temporal operator search-attribute list --namespace ${namespace}\``,
      exitCode: ExitCode.UNAVAILABLE,
    };
  }
  return {
    check,
    ok: false,
    detail: `cannot list them (${listRefusal}), and a query naming them is refused: ${queryRefusal}`,
    fix: `register ${Object.entries(SEARCH_ATTRIBUTES)
      .map(([name, type]) => `${name} (${type})`)
      .join(', ')} on ${namespace}`,
    exitCode: ExitCode.UNAVAILABLE,
  };
}

/** A purchase needs all three queues of its target served: its workflows, its claim registries, its API calls. */
async function workerCheck(client: Client, taskQueue: string): Promise<DoctorCheck> {
  const queues: Array<[string, QueueKind]> = [
    [taskQueue, 'workflow'],
    [claimsTaskQueue(taskQueue), 'workflow'],
    [datacosmosTaskQueue(taskQueue), 'activity'],
  ];
  const pollers = await Promise.all(queues.map(([queue, kind]) => queuePollers(client, queue, kind)));
  const unserved = queues.filter((_, i) => pollers[i].length === 0).map(([queue]) => queue);
  const workers = [...new Set(pollers.flat().map((poller) => poller.identity))];
  if (unserved.length === 0) {
    return { check: 'worker', ok: true, detail: `${workers.length} polling this target: ${workers.join('; ')}` };
  }
  return {
    check: 'worker',
    ok: false,
    detail: `no worker polls ${unserved.join(', ')}${workers.length ? ` (seen: ${workers.join('; ')})` : ''}`,
    fix: 'start `dcp worker` with these same settings (or `dcp dev` for the local stack), then run `dcp doctor` again',
    exitCode: ExitCode.UNAVAILABLE,
  };
}

function report(checks: DoctorCheck[], json: boolean): number {
  const failed = checks.find((check) => !check.ok);
  if (json) printJson({ ok: failed === undefined, checks });
  else {
    const rows = checks.map((c) => [c.check, c.optional ? 'not needed' : c.ok ? 'ok' : 'FAILED', c.detail]);
    process.stdout.write(`${formatTable(['CHECK', 'RESULT', 'DETAIL'], rows)}\n`);
  }
  if (failed === undefined) return ExitCode.OK;
  throw new CliError(
    `${failed.check}: ${failed.detail}; ${failed.fix ?? ''}`.replace(/; $/, ''),
    failed.exitCode ?? ExitCode.FAILURE,
  );
}
