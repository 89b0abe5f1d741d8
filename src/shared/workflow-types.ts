/**
 * The names of the workflow types the worker registers, for code that starts, finds or samples them without
 * importing workflow code; test/unit/architecture.test.ts checks them against src/workflows/index.ts.
 */
export const WORKFLOW_TYPE = {
  purchase: 'purchaseWorkflow',
  batch: 'batchPurchaseWorkflow',
  claimRegistry: 'claimRegistryWorkflow',
  storedPage: 'storedPageWorkflow',
  spendLedger: 'spendLedgerWorkflow',
  notification: 'notificationWorkflow',
  redelivery: 'redeliveryWorkflow',
} as const;

/**
 * By the queue they run on: the target's queue (purchases, batches, notifications, redeliveries), and its claims
 * queue. The replay check samples each.
 */
export const QUEUE_WORKFLOW_TYPES = [
  WORKFLOW_TYPE.purchase,
  WORKFLOW_TYPE.batch,
  WORKFLOW_TYPE.notification,
  WORKFLOW_TYPE.redelivery,
] as const;
export const CLAIMS_QUEUE_WORKFLOW_TYPES = [
  WORKFLOW_TYPE.claimRegistry,
  WORKFLOW_TYPE.storedPage,
  WORKFLOW_TYPE.spendLedger,
] as const;
