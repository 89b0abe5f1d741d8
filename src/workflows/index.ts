/** Every workflow the worker registers. */
export { purchaseWorkflow } from './purchase';
export { batchPurchaseWorkflow } from './batch';
