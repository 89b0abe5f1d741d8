/** The coverage planner in a thread of its own (see plan-off-thread.ts): one plan per thread, its result posted back. */
import { parentPort, workerData } from 'node:worker_threads';
import { planCoverage } from '../coverage/plan';

const { aoi, candidates, options } = workerData as { aoi: never; candidates: never; options: never };
parentPort?.postMessage(planCoverage(aoi, candidates, options));
