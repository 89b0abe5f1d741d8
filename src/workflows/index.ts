/** Every workflow the worker registers. */
export { purchaseWorkflow } from './purchase';
export { batchPurchaseWorkflow } from './batch';
export { claimRegistryWorkflow } from './claim-registry';
export { storedPageWorkflow } from './stored-page';
export { spendLedgerWorkflow } from './spend-ledger';
export { notificationWorkflow } from './notifications';
export { redeliveryWorkflow } from './redelivery';
