/** How the worker and the CLI reach Temporal: plaintext locally, TLS with an API key or a client certificate in the cloud. */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { TemporalSettings } from './settings';
import { CliError, ExitCode } from '../shared/errors';

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

/** Options for `NativeConnection.connect` and `Connection.connect`; the certificate files are read now. */
export function temporalConnectionOptions(temporal: TemporalSettings): TemporalConnectionOptions {
  const { tls, apiKey, address } = temporal;
  if (!tls) return { address };
  const config: TLSConfig = {};
  if (tls.serverName) config.serverNameOverride = tls.serverName;
  if (tls.serverCaPath) config.serverRootCACertificate = readTlsFile('TEMPORAL_TLS_CA', tls.serverCaPath);
  if (tls.clientCertPath && tls.clientKeyPath) {
    config.clientCertPair = {
      crt: readTlsFile('TEMPORAL_TLS_CERT', tls.clientCertPath),
      key: readTlsFile('TEMPORAL_TLS_KEY', tls.clientKeyPath),
    };
  }
  return { address, tls: config, ...(apiKey ? { apiKey } : {}) };
}

function readTlsFile(variable: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new CliError(`invalid configuration: ${variable} cannot be read: ${(err as Error).message}`, ExitCode.USAGE);
  }
}
