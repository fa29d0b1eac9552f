import { bulkInsertOutcomes } from './bulk-insert-outcome';

describe('bulkInsertOutcomes', () => {
  it('reads per-document outcomes from the write errors of a reply: listed duplicates and failures, the rest inserted', () => {
    const error = {
      writeErrors: [
        { index: 1, code: 11000 },
        { index: 3, err: { code: 121 } },
      ],
    };
    expect(bulkInsertOutcomes(error, 4)).toEqual(['inserted', 'duplicate', 'inserted', 'failed']);
  });

  it('knows nothing when the list is empty, as after a dropped connection', () => {
    expect(bulkInsertOutcomes({ name: 'MongoBulkWriteError', message: 'connection 2 closed', writeErrors: [] }, 3)).toBeUndefined();
  });

  it('knows nothing from an error without a list, or with indexes outside the batch', () => {
    expect(bulkInsertOutcomes(new Error('server selection timed out'), 2)).toBeUndefined();
    expect(bulkInsertOutcomes({ writeErrors: [{ index: 5, code: 11000 }] }, 2)).toBeUndefined();
  });

  it('takes a lone duplicate-key error of a single document as that document existing', () => {
    expect(bulkInsertOutcomes({ code: 11000 }, 1)).toEqual(['duplicate']);
    expect(bulkInsertOutcomes({ code: 11000 }, 2)).toBeUndefined();
  });
});
