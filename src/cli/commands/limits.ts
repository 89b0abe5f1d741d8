/** `dcp limits set|list|remove`: definitions only; the work is loaded when a command runs. */
import { Command, Option } from 'commander';
import { LIMIT_PERIODS } from '../../shared/spend-limit-types';
import { amount, currency, freeText, id } from '../options';
import { lazyAction } from './lazy-action';

export function registerLimitCommands(program: Command): void {
  const limits = program
    .command('limits')
    .description("the organisation's spend limits: what all purchases together may commit in a period");
  limits
    .command('set')
    .description('set (or replace, by name) a limit; purchases reserve their total against it before ordering')
    .addOption(
      new Option('--period <period>', 'the calendar period counted').choices([...LIMIT_PERIODS]).makeOptionMandatory(),
    )
    .requiredOption('--amount <amount>', 'the most committed in a period (paid, and reserved in flight)', amount)
    .requiredOption('--currency <code>', "the limit's currency; purchases priced in another one are refused", currency)
    .option('--scope <scope...>', 'organisation, contract ID or schedule ID', ['organisation'])
    .option('--time-zone <zone>', 'the IANA time zone of the calendar periods', freeText, 'UTC')
    .option('--name <name>', 'default: SCOPE-PERIOD, like organisation-month', id)
    .action(lazyAction(async () => (await import('../limits')).setLimit));
  limits
    .command('list', { isDefault: true })
    .description('each limit with what is spent, reserved and left in its current period, and who holds reservations')
    .option('--json', 'print JSON', false)
    .action(lazyAction(async () => (await import('../limits')).listLimits));
  limits
    .command('remove')
    .argument('<name>', 'the limit name', id)
    .description('remove a limit (reservations and spend stay recorded)')
    .action(lazyAction(async () => (await import('../limits')).removeLimit));
}
