/** `npm run chaos [-- --purchases N --kills K]`: the chaos run with its one summary line; exit 1 if a promise broke. */
import { Command } from 'commander';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { brokenPromises, runChaos, summaryLine } from '../harness/chaos';

const options = new Command('chaos')
  .option('--purchases <n>', 'how many purchases', (t) => Number(t), 300)
  .option('--kills <n>', 'how many times the worker is killed', (t) => Number(t), 4)
  .parse()
  .opts<{ purchases: number; kills: number }>();

Runtime.install({ logger: new DefaultLogger('ERROR') });
runChaos({
  purchases: options.purchases,
  workerKills: options.kills,
  log: (l) => process.stderr.write(`[chaos] ${l}\n`),
}).then(
  (report) => {
    const broken = brokenPromises(report);
    process.stdout.write(`${summaryLine(report)}\n`);
    for (const line of broken) process.stdout.write(`BROKEN: ${line}\n`);
    process.exit(broken.length ? 1 : 0);
  },
  (err: unknown) => {
    process.stderr.write(`chaos: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
