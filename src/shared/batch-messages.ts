/** Queries and signals of the batch workflow, shared by the workflow and its clients. */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { BatchProgress } from './batch-types';

export const progressQuery = defineQuery<BatchProgress>('progress');
/** Stops new purchases; running ones are asked to cancel and end cleanly. */
export const batchCancelSignal = defineSignal<[reason?: string]>('cancelBatch');
