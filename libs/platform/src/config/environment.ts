import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '@crc/contracts';

export type Environment = Record<string, string | undefined>;

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/**
 * Reads a service's settings from the environment into a typed, validated object, at boot.
 * Every problem is reported at once, each naming its variable.
 */
export function loadEnvironment<T extends object>(cls: ClassConstructor<T>, env: Environment): T {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(cls, defined, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigurationError(
      flattenValidationErrors(errors).map(({ field, problems }) => {
        const given = defined[field];
        // Secrets (…_KEY, …_SECRET, …_PASSWORD) are not echoed: boot errors end up in logs.
        const shown = given === undefined ? ' (not set)' : /(_KEY|_SECRET|_PASSWORD)$/.test(field) ? ' (value not shown)' : ` (got "${given}")`;
        return `${field}: ${problems.join('; ')}${shown}`;
      }),
    );
  }
  return config;
}
