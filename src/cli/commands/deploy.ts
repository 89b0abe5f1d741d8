/** `dcp deploy status|set-current|ramp`: definitions only; the work is loaded when a command runs. */
import { Command } from 'commander';
import { decimalNumber, id } from '../options';
import { lazyAction } from './lazy-action';

export function registerDeployCommands(program: Command): void {
  const deploy = program
    .command('deploy')
    .description("the workers' Worker Deployment: builds, which is current, what still runs on each; roll-outs");
  deploy
    .command('status', { isDefault: true })
    .description(
      'each build of the deployment: current, ramping, draining or drained, and how many executions run on it',
    )
    .option('--json', 'print JSON', false)
    .action(lazyAction(async () => (await import('../deploy')).showDeployment));
  deploy
    .command('set-current')
    .argument('<build>', 'the build id (as `dcp deploy status` shows it)', id)
    .description('make a build current: new purchases and batches start on it, registries and ledgers move to it')
    .action(lazyAction(async () => (await import('../deploy')).setCurrentBuild));
  deploy
    .command('ramp')
    .argument('[build]', 'the build id', id)
    .description('send a share of new executions to a build before making it current')
    .option('--percent <p>', 'the share of new executions, 0 to 100', decimalNumber(0, 100))
    .option('--stop', 'stop ramping', false)
    .action(lazyAction(async () => (await import('../deploy')).rampBuild));
}
