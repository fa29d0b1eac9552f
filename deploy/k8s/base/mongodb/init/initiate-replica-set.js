// Run against the first member directly, before the replica set exists.
const replicas = Number(process.env.MONGODB_REPLICAS);
const members = Array.from({ length: replicas }, (_, i) => ({ _id: i, host: `mongodb-${i}.mongodb:27017` }));
try {
  rs.status();
  print('replica set rs0 exists');
} catch (error) {
  if (error.codeName !== 'NotYetInitialized') throw error;
  rs.initiate({ _id: 'rs0', members });
  print(`replica set rs0 initiated with ${replicas} members`);
}
