/**
 * A stored page (src/shared/stored-pages.ts): its values are its input, read from its first history event. It
 * only waits, asking now and then whether its owner may still read it, and ends once the owner has ended; from
 * then on it is kept as long as the namespace keeps closed workflows, like its owner's own history.
 */
import { continueAsNew, proxyActivities, setWorkflowOptions, sleep, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { HOUSEKEEPING_RETRY } from '../shared/retry-policies';
import type { StoredPage } from '../shared/stored-pages';
import { versionedAs } from './versioning';

type Activities = ReturnType<typeof createActivities>;

/** How often a page asks about its owner: a page outlives its owner by at most this. */
const OWNER_CHECK_INTERVAL = '1 hour';
/** A page written before its owner starts (a batch's input) waits this long for it to appear. */
const OWNER_GRACE_MS = 24 * 3600_000;
/** A page's history gains a few events per check; a new run (with the same input) keeps it short. */
const HISTORY_EVENT_LIMIT = 1_000;

export async function storedPageWorkflow(page: StoredPage): Promise<void> {
  const { ownerGone } = proxyActivities<Pick<Activities, 'ownerGone'>>({
    startToCloseTimeout: '1m',
    retry: HOUSEKEEPING_RETRY,
  });
  const info = workflowInfo();
  // Only the first run waits for an owner that has not appeared yet; by a later run it has, or never will.
  const graceUntil = info.continuedFromExecutionRunId ? 0 : info.startTime.getTime() + OWNER_GRACE_MS;
  for (;;) {
    await sleep(OWNER_CHECK_INTERVAL);
    if (await ownerGone({ owner: page.owner, graceUntil })) return;
    if (workflowInfo().historyLength >= HISTORY_EVENT_LIMIT) await continueAsNew<typeof storedPageWorkflow>(page);
  }
}

/** AUTO_UPGRADE: a page lives as long as its owner and only answers queries. */
setWorkflowOptions(versionedAs('AUTO_UPGRADE'), storedPageWorkflow);
