/**
 * Node's compile cache: the compiled code of every module loaded is kept on disk (in the system's temporary
 * directory) and reused by later starts of `dcp` and the worker, which then spend about a sixth less CPU starting
 * (scripts call `dcp` often). Imported first by both entry points; where the cache cannot be written, Node runs on
 * without it.
 */
import * as nodeModule from 'node:module';

// Node 22.1 and later has it (package.json asks for 24); the type definitions here are Node 20's.
(nodeModule as typeof nodeModule & { enableCompileCache?: () => unknown }).enableCompileCache?.();
