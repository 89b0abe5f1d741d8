/** Runs the built `dcp` program as a user would, configured through the environment for these settings. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { settingsEnvironment, type Settings } from '../../src/config/settings';

const DCP = path.resolve(__dirname, '../../dist/src/starter.js');

export interface DcpRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `extraEnv` changes or adds variables on top of the settings' (a wrong secret, another queue). */
export function runDcp(
  settings: Settings,
  args: string[],
  timeoutMs = 60_000,
  extraEnv: Record<string, string> = {},
): Promise<DcpRun> {
  return runDcpProgram(DCP, settings, args, timeoutMs, extraEnv);
}

/** The `dcp` of another build (its `dist/src/starter.js`), as a user of that build would run it. */
export function runDcpProgram(
  program: string,
  settings: Settings,
  args: string[],
  timeoutMs = 60_000,
  extraEnv: Record<string, string> = {},
): Promise<DcpRun> {
  const env = { PATH: process.env.PATH as string, ...settingsEnvironment(settings), ...extraEnv };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [program, ...args],
      { env, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
