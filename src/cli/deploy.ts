/**
 * `dcp deploy`: the Worker Deployment of these settings' workers (WORKER_DEPLOYMENT_NAME): each build, whether it
 * is current, ramping, draining (pinned purchases and batches still run on it) or drained (its workers may stop),
 * and the roll-out of a new build. Through the Temporal server's Worker Deployment API.
 */
import type { Client } from '@temporalio/client';
import { CliError, ExitCode } from '../shared/errors';
import { GrpcStatus, hasGrpcStatus, isUnreachable } from '../workflow-client/grpc-status';
import { withContext } from './context';
import { formatTable, printJson } from './output';

export interface BuildReport {
  buildId: string;
  /** current, ramping, draining, drained or inactive. */
  status: string;
  rampingPercent: number | null;
  /** Executions still running on this build (pinned ones, and others whose last task it ran). */
  running: number;
  createdAt: string | null;
}

export interface DeploymentReport {
  deploymentName: string;
  currentBuild: string | null;
  rampingBuild: string | null;
  builds: BuildReport[];
}

/** temporal.api.enums.v1.WorkerDeploymentVersionStatus, by number. */
const STATUS_NAMES: Record<number, string> = { 1: 'inactive', 2: 'current', 3: 'ramping', 4: 'draining', 5: 'drained' };

function time(value: { seconds?: unknown } | null | undefined): string | null {
  return value?.seconds ? new Date(Number(value.seconds) * 1000).toISOString() : null;
}

export async function deploymentReport(client: Client, deploymentName: string): Promise<DeploymentReport> {
  const { namespace } = client.options;
  let info;
  try {
    info = (await client.workflowService.describeWorkerDeployment({ namespace, deploymentName })).workerDeploymentInfo;
  } catch (err) {
    if (hasGrpcStatus(err, GrpcStatus.NOT_FOUND)) {
      throw new CliError(`no worker of deployment ${deploymentName} has polled yet`, ExitCode.USAGE);
    }
    throw err;
  }
  const routing = info?.routingConfig;
  const builds = await Promise.all(
    (info?.versionSummaries ?? []).map(async (summary): Promise<BuildReport> => {
      const buildId = summary.deploymentVersion?.buildId ?? '';
      const query = `TemporalWorkerDeploymentVersion = "${deploymentName}:${buildId}" AND ExecutionStatus = "Running"`;
      const ramping = routing?.rampingDeploymentVersion?.buildId === buildId;
      return {
        buildId,
        status: STATUS_NAMES[summary.status ?? 0] ?? 'unknown',
        rampingPercent: ramping ? (routing?.rampingVersionPercentage ?? 0) : null,
        running: (await client.workflow.count(query)).count,
        createdAt: time(summary.createTime),
      };
    }),
  );
  return {
    deploymentName,
    currentBuild: routing?.currentDeploymentVersion?.buildId ?? null,
    rampingBuild: routing?.rampingDeploymentVersion?.buildId ?? null,
    builds: builds.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '')),
  };
}

function formatReport(report: DeploymentReport): string {
  const rows = report.builds.map((b) => [
    b.buildId,
    b.rampingPercent === null ? b.status : `${b.status} ${b.rampingPercent} %`,
    String(b.running),
    b.createdAt ?? '-',
  ]);
  const head = `deployment ${report.deploymentName}: current build ${report.currentBuild ?? 'none (new workflows wait: dcp deploy set-current BUILD)'}`;
  return `${head}\n${formatTable(['BUILD', 'STATUS', 'RUNNING', 'FIRST SEEN'], rows)}`;
}

export async function showDeployment(options: { json: boolean }): Promise<void> {
  await withContext(async (ctx) => {
    const report = await deploymentReport(await ctx.temporal(), ctx.settings.worker.deploymentName);
    if (options.json) return printJson(report);
    process.stdout.write(`${formatReport(report)}\n`);
  });
}

/** Makes a build current: new purchases and batches start on it; AUTO_UPGRADE registries and ledgers move to it. */
export async function setCurrentBuild(buildId: string): Promise<void> {
  await withContext(async (ctx) => {
    const client = await ctx.temporal();
    const deploymentName = ctx.settings.worker.deploymentName;
    await deploymentReport(client, deploymentName); // a clear error for a deployment no worker has joined
    await client.workflowService
      .setWorkerDeploymentCurrentVersion({
        namespace: client.options.namespace,
        deploymentName,
        buildId,
        identity: 'dcp',
      })
      .catch((err: Error) => {
        // The server refuses a build whose workers have not yet polled every queue of the current one.
        const hint = /missing active task queues/.test(err.message)
          ? `; its workers have not polled every queue yet: start them and try again in a few seconds`
          : '';
        throw new CliError(`cannot make ${buildId} current in ${deploymentName}: ${err.message}${hint}`, refusal(err));
      });
    process.stdout.write(`${deploymentName}: current build is now ${buildId}\n`);
  });
}

/** Sends a share of new executions to a build before it is made current; `stop` ends the ramp. */
export async function rampBuild(buildId: string | undefined, options: { percent?: number; stop: boolean }) {
  if (options.stop === (buildId !== undefined) || (!options.stop && options.percent === undefined)) {
    throw new CliError('deploy ramp: give BUILD --percent P, or --stop', ExitCode.USAGE);
  }
  await withContext(async (ctx) => {
    const client = await ctx.temporal();
    const deploymentName = ctx.settings.worker.deploymentName;
    await deploymentReport(client, deploymentName);
    await client.workflowService
      .setWorkerDeploymentRampingVersion({
        namespace: client.options.namespace,
        deploymentName,
        buildId: buildId ?? '',
        percentage: options.stop ? 0 : options.percent,
        identity: 'dcp',
      })
      .catch((err: Error) => {
        throw new CliError(`cannot ramp ${buildId ?? ''} in ${deploymentName}: ${err.message}`, refusal(err));
      });
    process.stdout.write(
      options.stop
        ? `${deploymentName}: no build ramping\n`
        : `${deploymentName}: ${buildId} takes ${options.percent} % of new executions\n`,
    );
  });
}

/** The server refused the change (a usage error), or could not be reached to make it. */
function refusal(err: Error): ExitCode {
  return isUnreachable(err) ? ExitCode.UNAVAILABLE : ExitCode.USAGE;
}
