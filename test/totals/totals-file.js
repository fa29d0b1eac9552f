const { join } = require('node:path');

/** Where the tiers of one `npm test` add up their totals (CRC_TEST_TOTALS overrides). */
exports.totalsFile = () => process.env.CRC_TEST_TOTALS || join(__dirname, '..', '..', '.test-totals.jsonl');
