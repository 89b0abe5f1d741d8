/** When a long-running workflow continues as new: its history at a limit, or the server suggesting it. */
import { workflowInfo } from '@temporalio/workflow';

export function historyFull(historyEventLimit: number, maxHistoryBytes = Infinity): boolean {
  const info = workflowInfo();
  return info.historyLength >= historyEventLimit || info.historySize >= maxHistoryBytes || info.continueAsNewSuggested;
}
