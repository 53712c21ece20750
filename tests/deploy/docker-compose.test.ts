import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../../src/config.ts';

interface ComposeService {
  command?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
}

const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};

describe('docker-compose.yml', () => {
  it('sets only variables that the configuration schema knows', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const variable of Object.keys(service.environment ?? {})) {
        expect(CONFIG_VARIABLES, `${name} sets ${variable}`).toContain(variable);
      }
    }
  });

  it('runs Redis with AOF persistence, noeviction and a healthcheck', () => {
    const redis = compose.services['redis']!;
    const command = ([] as string[]).concat(redis.command ?? []).join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    // Packed small hashes: waiting jobs and the known-URL record (README, "Scaling out").
    expect(command).toMatch(/--hash-max-listpack-value 256/);
    expect(command).toMatch(/--hash-max-listpack-entries 1024/);
    expect(redis.healthcheck?.test.join(' ')).toContain('ping');
  });

  it('starts the worker once Redis is healthy, with the database on a named volume', () => {
    const worker = compose.services['worker']!;
    expect(worker.depends_on?.['redis']?.condition).toBe('service_healthy');
    const dataVolume = (worker.volumes ?? []).find((volume) => volume.endsWith(':/data'));
    expect(dataVolume).toBeDefined();
    expect(Object.keys(compose.volumes)).toContain(dataVolume!.split(':')[0]);
    expect(worker.environment?.['DATABASE_PATH']).toMatch(/^\/data\//);
  });

  it('fetch-only workers get no database', () => {
    const fetcher = compose.services['fetcher']!;
    expect(([] as string[]).concat(fetcher.command ?? []).join(' ')).toContain('--role fetch');
    expect(fetcher.environment?.['DATABASE_PATH']).toBeUndefined();
  });
});
