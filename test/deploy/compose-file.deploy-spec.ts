import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serviceNodeOptions } from '../../libs/infra/src/service-heap';
import { composeSchemaValidator, readComposeFile } from './support/compose-validator';

const ROOT = join(__dirname, '..', '..');
const SERVICES = ['checkin', 'membership', 'telehealth', 'reporting'] as const;

/**
 * docker-compose.yml, checked without a Docker engine: against the Compose Specification's schema
 * (as `docker compose config` would) and for what the one command must bring up.
 */
describe('docker-compose.yml', () => {
  const { text, document } = readComposeFile(join(ROOT, 'docker-compose.yml'));
  const validate = composeSchemaValidator();

  it('is valid under the Compose Specification', () => {
    expect(validate(document)).toEqual([]);
  });

  it('fails the check on a misspelled field, wherever it is', () => {
    const misspelled = structuredClone(document);
    (misspelled.services.checkin as Record<string, unknown>).helthcheck = { test: ['CMD', 'true'] };
    (misspelled as unknown as Record<string, unknown>).volume = {};
    expect(validate(misspelled)).toEqual(expect.arrayContaining(['/services/checkin: unknown field "helthcheck"', '/: unknown field "volume"']));
  });

  it('needs no variables from the environment: one command, nothing to set first', () => {
    expect(text).not.toMatch(/\$\{/);
  });

  it('brings up Kafka, MongoDB as a replica set, the four services and the seed, in dependency order', () => {
    const { services } = document;
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['kafka', 'mongodb', ...SERVICES, 'seed']));
    expect(services.kafka.environment).toMatchObject({ KAFKA_PROCESS_ROLES: 'broker,controller' });
    expect(services.mongodb.command).toEqual(expect.arrayContaining(['--replSet']));
    for (const name of SERVICES) {
      const service = services[name];
      // Each runs its own entry point of the one image.
      expect(service.command).toEqual(['node', `dist/apps/${name}/src/main.js`]);
      expect(existsSync(join(ROOT, 'apps', name, 'src', 'main.ts'))).toBe(true);
      expect(service.depends_on).toEqual({ kafka: { condition: 'service_healthy' }, mongodb: { condition: 'service_healthy' } });
      expect(service.environment?.MONGODB_URI).toMatch(/replicaSet=rs0/);
      expect(service.environment?.NODE_OPTIONS).toBe(serviceNodeOptions(name));
      expect(service.read_only).toBe(true);
      expect(service.user).toBeUndefined(); // the image's non-root user
    }
    expect(services.seed.command).toEqual(['node', 'dist/deploy/local/seed-rosters.js']);
    expect(existsSync(join(ROOT, 'deploy', 'local', 'seed-rosters.ts'))).toBe(true);
    expect(services.seed.depends_on).toEqual({ reporting: { condition: 'service_healthy' } });
  });

  it('refers only to services that exist, and to files of this repository', () => {
    const { services } = document;
    for (const [name, service] of Object.entries(services)) {
      const dependencies = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dependency of dependencies) expect([name, dependency, Boolean(services[dependency])]).toEqual([name, dependency, true]);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) expect([volume, existsSync(join(ROOT, source))]).toEqual([volume, true]);
        else expect(Object.keys(document.volumes ?? {})).toContain(source);
      }
    }
    const published = Object.values(services).flatMap((s) => s.ports ?? []);
    expect(new Set(published).size).toBe(published.length);
  });
});
