/** A small chaos run inside `npm test` (`npm run chaos` runs 300 purchases): every promise must hold. */
import { brokenPromises, runChaos, summaryLine } from '../harness/chaos';

test('purchases through faults, worker kills and a Temporal restart: right ends, one order each, exact credits', async () => {
  const report = await runChaos({ purchases: 30, workerKills: 2 });
  process.stdout.write(`${summaryLine(report)}\n`);
  expect(brokenPromises(report)).toEqual([]);
  expect(report.ends).toEqual({ COMPLETED: 27, REJECTED: 3 });
  expect(report.workerKills).toBe(2);
}, 240_000);
