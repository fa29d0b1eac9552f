import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { RunningInfrastructure, startInfrastructure } from '../libs/infra/src';
import { formatResults, PROFILES, runScenario, SCENARIOS, ScenarioResult } from './faults/fault-scenarios';

/**
 * Fault scenarios under steady kiosk load, on their own broker and store (so that they can be
 * stopped): every visit a kiosk was told was accepted must reach L.A. Care's feed exactly once.
 * `npm test` runs the short profile; `npm run hostile` the full one (FAULTS_PROFILE=full).
 */
describe('fault scenarios', () => {
  const profile = PROFILES[(process.env.FAULTS_PROFILE as 'short' | 'full') ?? 'short'] ?? PROFILES.short;
  let infrastructure: RunningInfrastructure;
  const results: ScenarioResult[] = [];

  beforeAll(async () => {
    // Services run as real processes from the build, so they can be killed.
    execSync('npm run build --silent', { cwd: join(__dirname, '..'), stdio: 'inherit' });
    infrastructure = await startInfrastructure({ purpose: 'test', env: { ...process.env, KAFKA_BROKERS: '', MONGODB_URI: '' } });
    if (!infrastructure.kafkaControl || !infrastructure.storeControl) {
      throw new Error(
        `fault scenarios need a broker and a store they can stop (local processes); got ${infrastructure.source.kafka}/${infrastructure.source.mongo}`,
      );
    }
  }, 600_000);

  afterAll(async () => {
    process.stdout.write(
      `\nFault scenarios (${profile.kiosks} kiosks × ${profile.perSecond}/s for ${profile.loadSeconds} s each):\n${formatResults(results)}\n`,
    );
    await infrastructure?.stop();
  });

  for (const scenario of SCENARIOS) {
    it(
      scenario.name,
      async () => {
        const result = await runScenario(infrastructure, scenario, profile);
        results.push(result);
        if (result.whereLost?.length) process.stdout.write(`\n${scenario.name}: accepted visits missing from the feed\n${result.whereLost.join('\n')}\n`);
        if (result.unexpected > 0 || result.lost > 0)
          process.stdout.write(`\n${scenario.name}: what the kiosks' attempts got: ${JSON.stringify(result.kioskAnswers)}\n`);
        expect(result.accepted).toBeGreaterThan(0);
        expect({ lost: result.lost, duplicates: result.duplicates, unexpected: result.unexpected }).toEqual({ lost: 0, duplicates: 0, unexpected: 0 });
        expect(result.attributed).toBe(result.accepted);
        if (scenario.poisonKeys) expect(result.deadLettered).toBe(scenario.poisonKeys.length);
      },
      600_000,
    );
  }
});
