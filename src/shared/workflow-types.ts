/**
 * The workflow types the worker registers, by the queue they run on: the target's queue (purchases, batches) and
 * its claims queue (claim registries, stored pages). The replay check samples each; test/unit checks the list
 * against src/workflows/index.ts.
 */
export const QUEUE_WORKFLOW_TYPES = ['purchaseWorkflow', 'batchPurchaseWorkflow'] as const;
export const CLAIMS_QUEUE_WORKFLOW_TYPES = ['claimRegistryWorkflow', 'storedPageWorkflow'] as const;
