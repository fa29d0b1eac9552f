import type { UtilizationPage } from '@crc/contracts';
import { aCheckIn, devTokens, eventually } from '@crc/testing';
import { seedRosters } from '../deploy/local/seed-rosters';
import { startTestSystem, TestSystem } from './support/test-system';

/** The seed of `npm start` and of docker-compose's `seed` service: the rosters, uploaded as the plans would. */
describe('seeding the rosters', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem(['checkin', 'reporting']);
  });

  afterAll(async () => {
    await system?.close();
  });

  it("uploads both plans' rosters with their partner tokens, so that visits are attributed on eligibility", async () => {
    const said: string[] = [];
    await seedRosters(system.api('reporting').baseUrl, (line) => said.push(line));
    expect(said).toEqual([
      expect.stringMatching(/seeded LA_CARE roster: [1-9]\d* coverage spans/),
      expect.stringMatching(/seeded BLUE_SHIELD_PROMISE roster: [1-9]\d* coverage spans/),
    ]);

    const center = 'crc-el-monte';
    const checkIn = await system.api('checkin', devTokens.kiosk(center)).post(`/v1/centers/${center}/check-ins`, aCheckIn({ memberId: 'BSP200002' }));
    expect(checkIn.status).toBe(201);
    const feed = await eventually(
      () => system.api('reporting', devTokens.partner('BLUE_SHIELD_PROMISE')).get<UtilizationPage>('/v1/partners/BLUE_SHIELD_PROMISE/utilization'),
      (r) => r.body.items.some((item) => item.visitId === checkIn.body.visitId),
      { what: "the visit in Blue Shield Promise's feed" },
    );
    expect(feed.body.items.find((item) => item.visitId === checkIn.body.visitId)).toMatchObject({ basis: 'ELIGIBILITY' });
  });
});
