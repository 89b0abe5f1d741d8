import { Command } from 'commander';
import { lazyAction } from '../../../src/cli/commands/lazy-action';

afterEach(() => {
  process.exitCode = undefined;
});

/** A program with one command `run <id>` whose action is loaded when it runs; `loads` counts the loads. */
function program(action: (id: string, options: { json: boolean }) => Promise<number | void>) {
  const counter = { loads: 0 };
  const root = new Command().exitOverride();
  root
    .command('run')
    .argument('<id>')
    .option('--json', 'print JSON', false)
    .action(
      lazyAction(async () => {
        counter.loads += 1;
        return action;
      }),
    );
  return { root, counter };
}

test('the action is loaded only when its command runs, and gets the arguments and options', async () => {
  const calls: unknown[][] = [];
  const { root, counter } = program(async (...args) => {
    calls.push(args.slice(0, 2));
  });
  expect(counter.loads).toBe(0);
  await root.parseAsync(['run', 'p-1', '--json'], { from: 'user' });
  expect(counter.loads).toBe(1);
  expect(calls).toEqual([['p-1', { json: true }]]);
  expect(process.exitCode).toBeUndefined();
});

test('a number the action returns is the exit code, 0 included', async () => {
  await program(async () => 3).root.parseAsync(['run', 'p-1'], { from: 'user' });
  expect(process.exitCode).toBe(3);
  await program(async () => 0).root.parseAsync(['run', 'p-1'], { from: 'user' });
  expect(process.exitCode).toBe(0);
});

test("the action's error reaches the caller, leaving the exit code alone", async () => {
  const failing = program(async () => {
    throw new Error('no such purchase');
  });
  await expect(failing.root.parseAsync(['run', 'p-1'], { from: 'user' })).rejects.toThrow('no such purchase');
  expect(process.exitCode).toBeUndefined();
});
