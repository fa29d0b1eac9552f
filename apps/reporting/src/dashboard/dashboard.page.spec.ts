import { SERVICE_TIME_ZONE, VISIT_PURPOSE_NAMES, VISIT_PURPOSES } from '@crc/contracts';
import { dashboardPageConfig, renderDashboardPage } from './dashboard.page';

const configOf = (page: string) => JSON.parse(/<script type="application\/json" id="dashboard-config">([^<]*)<\/script>/.exec(page)![1]);

describe('the dashboard page', () => {
  const centers = [
    { centerId: 'crc-pomona', name: 'Pomona' },
    { centerId: 'crc-lancaster', name: 'Lancaster' },
  ];

  it('names every visit purpose from the contracts, in their order, and states the service time zone', () => {
    const config = dashboardPageConfig(centers);
    expect(config.purposes.map((p) => p.code)).toEqual([...VISIT_PURPOSES]);
    for (const p of config.purposes) expect(p.name).toBe(VISIT_PURPOSE_NAMES[p.code]);
    // Full names, never codes or initials.
    for (const p of config.purposes) expect(p.name).not.toMatch(/^[A-Z_]+$/);
    expect(config.timeZone).toBe(SERVICE_TIME_ZONE);
    expect(renderDashboardPage(centers)).toContain(`Los Angeles time (${SERVICE_TIME_ZONE})`);
  });

  it('carries its configuration as JSON that no value can break out of', () => {
    const page = renderDashboardPage([{ centerId: 'crc-x', name: 'A </script><script>alert(1)</script>' }]);
    expect(page.match(/<script/g)).toHaveLength(2);
    expect(configOf(page).centers[0].name).toBe('A </script><script>alert(1)</script>');
  });

  it('loads nothing from another origin, so it works on a center network without the internet', () => {
    const page = renderDashboardPage(centers);
    expect(page).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(page).not.toMatch(/@import|url\(\s*["']?https?:/i);
    expect(page).not.toMatch(/fetch\(\s*['"]https?:/);
  });
});
