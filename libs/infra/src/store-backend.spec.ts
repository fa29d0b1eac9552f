import { parseStoreBackend } from './store-backend';

describe('parseStoreBackend', () => {
  it('defaults to SQLite when unset or empty', () => {
    expect(parseStoreBackend(undefined)).toBe('sqlite');
    expect(parseStoreBackend(' ')).toBe('sqlite');
  });

  it('accepts the backends by name', () => {
    expect(parseStoreBackend('sqlite')).toBe('sqlite');
    expect(parseStoreBackend('postgresql')).toBe('postgresql');
  });

  it('names the variable and the choices when the value is unknown', () => {
    expect(() => parseStoreBackend('postgres')).toThrow('CRC_STORE_BACKEND must be one of "sqlite", "postgresql" (default "sqlite"), got "postgres"');
  });
});
