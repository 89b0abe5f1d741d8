import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSettings } from '../src/config';
import { writeStackFile } from '../src/local/stack-file';

const production = {
  DATACOSMOS_CLIENT_ID: 'id',
  DATACOSMOS_CLIENT_SECRET: 'secret',
  DATACOSMOS_ORGANISATION_ID: '42',
};

function withStackFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-config-'));
  writeStackFile(dir, {
    version: 1,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    temporal: { address: '127.0.0.1:17233', namespace: 'default', uiUrl: 'http://127.0.0.1:18233' },
    simulator: { url: 'http://127.0.0.1:18787' },
    datacosmos: {
      apiUrl: 'http://127.0.0.1:18787',
      authUrl: 'http://127.0.0.1:18787',
      clientId: 'acme-pipeline',
      clientSecret: 'acme-secret-1001',
      organisationId: 1001,
    },
    worker: { running: true },
  });
  return dir;
}

describe('configuration', () => {
  test('production settings come from the environment with defaults', () => {
    const s = loadSettings(production, '/nowhere');
    expect(s.source).toBe('environment');
    expect(s.datacosmos).toMatchObject({ apiUrl: 'https://app.open-cosmos.com', organisationId: 42, requestTimeoutMs: 30_000 });
    expect(s.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'datacosmos-purchase' });
  });

  test('each bad variable is named', () => {
    expect(() => loadSettings({ ...production, DATACOSMOS_ORGANISATION_ID: 'acme' }, '/')).toThrow(
      'DATACOSMOS_ORGANISATION_ID the organisation id must be a positive whole number',
    );
    expect(() => loadSettings({ ...production, DATACOSMOS_API_URL: 'ftp://x' }, '/')).toThrow('DATACOSMOS_API_URL');
    expect(() => loadSettings({ ...production, TEMPORAL_ADDRESS: 'localhost' }, '/')).toThrow('TEMPORAL_ADDRESS must be HOST:PORT');
    expect(() => loadSettings({ ...production, WORKER_MAX_CONCURRENT_ACTIVITIES: '0' }, '/')).toThrow(
      'WORKER_MAX_CONCURRENT_ACTIVITIES',
    );
  });

  test('the local stack file is used only when no production setting is present', () => {
    const dir = withStackFile();
    const local = loadSettings({ DCP_DATA_DIR: dir }, '/');
    expect(local.source).toBe('local-stack');
    expect(local.datacosmos.apiUrl).toBe('http://127.0.0.1:18787');
    expect(local.temporal.address).toBe('127.0.0.1:17233');
    // A single production variable switches to the environment: missing ones are errors, not the simulator.
    expect(() => loadSettings({ DCP_DATA_DIR: dir, DATACOSMOS_CLIENT_ID: 'id' }, '/')).toThrow(
      /DATACOSMOS_CLIENT_SECRET is required.*DATACOSMOS_ORGANISATION_ID/,
    );
  });

  test('no settings at all says how to get them', () => {
    expect(() => loadSettings({ DCP_DATA_DIR: '/definitely/missing' }, '/')).toThrow(
      'no DataCosmos settings: set DATACOSMOS_CLIENT_ID, DATACOSMOS_CLIENT_SECRET and DATACOSMOS_ORGANISATION_ID, or start the local stack with `dcp dev`',
    );
  });
});
