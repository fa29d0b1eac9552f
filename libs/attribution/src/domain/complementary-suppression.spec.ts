import { publishTable } from './complementary-suppression';

describe('publishTable', () => {
  const cells = new Map([
    ['a', 25],
    ['b', 11],
    ['c', 10],
    ['d', 0],
  ]);

  it('shows a cell from 11 on and suppresses every smaller one, zero included', () => {
    const table = publishTable(cells, []);
    expect(Object.fromEntries(table.cells)).toEqual({
      a: { count: 25, suppressed: false },
      b: { count: 11, suppressed: false },
      c: { count: null, suppressed: true },
      d: { count: null, suppressed: true },
    });
  });

  it('shows a total only when every cell it covers is shown', () => {
    const table = publishTable(cells, [
      { name: 'shown', covers: ['a', 'b'], value: 36 },
      { name: 'withSmall', covers: ['a', 'c'], value: 35 },
      { name: 'withZero', covers: ['a', 'd'], value: 25 },
      { name: 'empty', covers: [], value: 0 },
    ]);
    expect(table.margins).toEqual({
      shown: { count: 36, suppressed: false },
      withSmall: { count: null, suppressed: true },
      withZero: { count: null, suppressed: true },
      empty: { count: null, suppressed: true },
    });
  });

  it('refuses a total over a cell outside the grid (the grid must be fixed by reference data)', () => {
    expect(() => publishTable(cells, [{ name: 'x', covers: ['a', 'z'], value: 1 }])).toThrow(/covers z/);
  });
});
