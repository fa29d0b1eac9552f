import { parseStoreBackend } from './store-backend';

describe('parseStoreBackend', () => {
  it('defaults to PostgreSQL when unset or empty', () => {
    expect(parseStoreBackend(undefined)).toBe('postgresql');
    expect(parseStoreBackend(' ')).toBe('postgresql');
  });

  it('accepts the backends by name', () => {
    expect(parseStoreBackend('sqlite')).toBe('sqlite');
    expect(parseStoreBackend('postgresql')).toBe('postgresql');
  });

  it('names the variable and the choices when the value is unknown', () => {
    expect(() => parseStoreBackend('postgres')).toThrow('CRC_STORE_BACKEND must be one of "sqlite", "postgresql" (default "postgresql"), got "postgres"');
  });
});
