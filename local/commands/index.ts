/**
 * The development commands of `dcp` (demo, dev, sim, stack): they run the local stack and ship with a clone of the
 * repository, not with the production image. src/starter.ts loads this module when it is present.
 */
import type { Command } from 'commander';
import { registerDemoCommand } from './demo';
import { registerDevCommand } from './dev';
import { registerSimCommand } from './sim';
import { registerStackCommands } from './stack';

export function registerLocalStackCommands(program: Command): void {
  registerDemoCommand(program);
  registerDevCommand(program);
  registerSimCommand(program);
  registerStackCommands(program);
}
