/**
 * The alternative the claim registry was weighed against, for `npm run bench -- --only claims`: one small
 * workflow per item whose id is the claim (the server's workflow-id uniqueness grants it), living until its holder
 * says how it ended.
 */
import { condition, defineSignal, setHandler } from '@temporalio/workflow';

export const settleItemClaimSignal = defineSignal<[outcome: 'OWNED' | 'RELEASED']>('settle');

export async function itemClaimWorkflow(holder: string): Promise<{ holder: string; outcome: string }> {
  let outcome: 'OWNED' | 'RELEASED' | null = null;
  setHandler(settleItemClaimSignal, (settled) => {
    outcome = settled;
  });
  await condition(() => outcome !== null);
  return { holder, outcome: outcome as unknown as string };
}
