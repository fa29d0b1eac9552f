// Run against the replica set, so that it reaches the primary, wherever it is.
const admin = db.getSiblingDB('admin');
for (const service of ['checkin', 'membership', 'telehealth', 'reporting']) {
  const user = `crc-${service}`;
  const pwd = process.env[`${service.toUpperCase()}_PASSWORD`];
  if (!pwd) throw new Error(`${service.toUpperCase()}_PASSWORD is not set`);
  const roles = [{ role: 'readWrite', db: `crc-${service}` }];
  if (admin.getUser(user)) admin.updateUser(user, { pwd, roles });
  else admin.createUser({ user, pwd, roles });
  print(`user ${user} ready`);
}
