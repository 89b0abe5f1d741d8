/**
 * When a Temporal server we started is usable: its frontend answers, and our namespace lists our search attributes
 * and maps them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { searchAttributeState } from '../src/workflow-client/search-attribute-state';
import { ChildExit, describeExit } from './child-process';

/** What readiness needs of the process it waits for: when it exits, and its last line of output. */
export interface Awaited {
  exited: Promise<ChildExit>;
  lastLine: { toString(): string };
}

/** Checks `problem()` every 250 ms until it returns ''; fails early when `server` exits, naming its last line. */
export async function untilReady(
  what: string,
  server: Awaited,
  problem: () => Promise<string>,
  timeoutMs: number,
): Promise<void> {
  let failure: string | undefined;
  server.exited.then(
    (exit) => (failure = describeExit(exit)),
    (err: Error) => (failure = `could not be started (${err.message})`),
  );
  const deadline = Date.now() + timeoutMs;
  let last = 'not started';
  while (Date.now() < deadline) {
    if (failure) throw new Error(`${what} ${failure} before it was ready: ${server.lastLine}`);
    last = await problem();
    if (!last) return;
    await sleep(250);
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms: ${last}`);
}

/** '' when the frontend at `address` answers, else why not. */
export function frontendProblem(address: string): Promise<string> {
  return withConnection(address, async (connection) => {
    await connection.healthService.check({});
    return '';
  });
}

/** '' when `namespace` has every search attribute of src/shared/search-attributes.ts, registered and mapped. */
export function searchAttributesProblem(address: string, namespace: string): Promise<string> {
  return withConnection(address, async (connection) => {
    const { missing, listRefusal, queryRefusal } = await searchAttributeState(connection, namespace);
    if (missing?.length) return `search attributes not registered yet: ${missing.join(', ')}`;
    return listRefusal ?? queryRefusal ?? '';
  });
}

async function withConnection(address: string, check: (connection: Connection) => Promise<string>): Promise<string> {
  // lazy + ensureConnected rather than connect(), so a failed attempt's channel is closed too.
  const connection = Connection.lazy({ address, connectTimeout: 2_000 });
  try {
    await connection.ensureConnected();
    return await check(connection);
  } catch (err) {
    return (err as Error).message;
  } finally {
    await connection.close();
  }
}
