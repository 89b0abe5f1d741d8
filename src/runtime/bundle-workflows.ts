/** Builds the workflow bundle ahead of time (part of `npm run build`), so workers start without webpack. */
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WORKFLOW_BUNDLE_PATH } from './purchase-worker';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    workflowInterceptorModules: [require.resolve('../workflows/log-context')],
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  await writeFile(WORKFLOW_BUNDLE_PATH, code);
  process.stdout.write(
    `workflow bundle: ${path.relative(process.cwd(), WORKFLOW_BUNDLE_PATH)} (${code.length} bytes)\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`bundle-workflows: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
