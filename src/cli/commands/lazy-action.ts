/**
 * A command's action whose module is loaded only when the command runs, so `dcp --help` and every other command
 * stay light. It gets what commander passes (the command's arguments, its options, then the command itself); a
 * number it returns is the process's exit code.
 */
export function lazyAction<Args extends unknown[]>(
  load: () => Promise<(...args: Args) => Promise<number | void>>,
): (...args: Args) => Promise<void> {
  return async (...args) => {
    const run = await load();
    const exitCode = await run(...args);
    if (typeof exitCode === 'number') process.exitCode = exitCode;
  };
}
