/** The activities a batch runs, each proxy typed by the activities it may call and named after what it does. */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { STEP_RETRY } from '../shared/retry-policies';
import { datacosmosQueueOption } from './datacosmos-queue';

type Activities = ReturnType<typeof createActivities>;

export interface BatchSteps {
  /** The contract, and each chunk of the input read, priced and checked: DataCosmos calls, on its queue. */
  datacosmos: Pick<Activities, 'resolveContract' | 'planChunk'>;
  /** Coverage planning reads every page of a search over the area and works on polygons: it may take minutes. */
  coveragePlanning: Pick<Activities, 'planCoverage'>;
  /** Stored pages are written and read through the Temporal client, on the batch's own queue. */
  pages: Pick<Activities, 'storePage' | 'readStoredPage'>;
}

export function batchSteps(activityTimeoutMs: number | undefined): BatchSteps {
  return {
    datacosmos: proxyActivities<Activities>({
      startToCloseTimeout: activityTimeoutMs ? activityTimeoutMs * 6 : '2m',
      retry: STEP_RETRY,
      ...datacosmosQueueOption(),
    }),
    coveragePlanning: proxyActivities<Activities>({
      startToCloseTimeout: '10m',
      retry: STEP_RETRY,
      ...datacosmosQueueOption(),
    }),
    pages: proxyActivities<Activities>({ startToCloseTimeout: '1m', retry: STEP_RETRY }),
  };
}
