/** Following a workflow to its end while asking it how it stands: shared by `dcp buy` and `dcp batch`. */

/**
 * Waits for `result`, calling `ask` (a query) every interval until it settles and handing each answer to
 * `onAnswer`; a failed query (the workflow between tasks, a restarting server) is skipped. A query can wait long
 * for a worker that died (the server gives up only after its own timeout), so it never holds back the result.
 */
export async function followWorkflow<Result, Answer>(
  result: Promise<Result>,
  ask: () => Promise<Answer>,
  onAnswer: (answer: Answer) => void,
  intervalMs: number,
): Promise<Result> {
  let done = false;
  const settled = result.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  while (!done) {
    const answer = await Promise.race([ask().catch(() => null), settled.then(() => null)]);
    if (answer !== null && !done) onAnswer(answer);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, intervalMs))]);
  }
  return result;
}
