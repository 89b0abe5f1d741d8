/** When a long-running workflow continues as new: its history at the limit, or the server suggesting it. */
import { workflowInfo } from '@temporalio/workflow';

export function historyFull(historyEventLimit: number): boolean {
  const info = workflowInfo();
  return info.historyLength >= historyEventLimit || info.continueAsNewSuggested;
}
