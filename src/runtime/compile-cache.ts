/**
 * Node's compile cache: the compiled code of every module loaded is kept on disk (in the system's temporary
 * directory) and reused by later starts of `dcp` and the worker, which then spend about a sixth less CPU starting
 * (scripts call `dcp` often). Imported first by both entry points; where the cache cannot be written, Node runs on
 * without it.
 */
import * as nodeModule from 'node:module';

// Node 22.1 and later has it (package.json asks for 24); the type definitions here are Node 20's.
const enableCompileCache = (nodeModule as { enableCompileCache?: () => { directory?: string } }).enableCompileCache;
const cache = enableCompileCache?.();
// This call covers the calling thread only. The worker's workflow threads, started later, enable the cache from
// their environment: handed down here, they load the SDK and the workflow bundle from it too.
if (cache?.directory && !process.env.NODE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = cache.directory;
