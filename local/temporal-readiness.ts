/** When a Temporal server we started is usable: its frontend answers, and our namespace lists our search attributes. */
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
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

/**
 * '' when `namespace` has every search attribute of src/shared/search-attributes.ts, as registered and as the
 * frontend maps them, else what is missing. The frontend reads a namespace's attributes from its cache of namespaces,
 * refreshed every few seconds: just after they were added, a workflow start that sets them is refused ("has no
 * mapping defined for search attribute"), and a visibility query naming them is refused the same way.
 */
export function searchAttributesProblem(address: string, namespace: string): Promise<string> {
  return withConnection(address, async (connection) => {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = Object.keys(SEARCH_ATTRIBUTES).filter((name) => !(name in (customAttributes ?? {})));
    if (missing.length) return `search attributes not registered yet: ${missing.join(', ')}`;
    const query = Object.entries(SEARCH_ATTRIBUTES)
      .map(([name, type]) => `${name} = ${ANY_VALUE[type]}`)
      .join(' OR ');
    await connection.workflowService.listWorkflowExecutions({ namespace, query, pageSize: 1 });
    return '';
  });
}

/** A value of each type, for a query that only has to be accepted. */
const ANY_VALUE: Record<(typeof SEARCH_ATTRIBUTES)[string], string> = {
  Keyword: "''",
  KeywordList: "''",
  Text: "''",
  Double: '0',
  Int: '0',
  Bool: 'false',
  Datetime: "'1970-01-01T00:00:00Z'",
};

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
