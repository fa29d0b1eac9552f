/** Every center is in Los Angeles County: service dates are calendar dates there. */
export const SERVICE_TIME_ZONE = 'America/Los_Angeles';

const serviceDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: SERVICE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date (YYYY-MM-DD) of an instant in America/Los_Angeles, whatever the server's zone. */
export function serviceDateOf(instant: Date): string {
  return serviceDateFormat.format(instant);
}

export const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The instant a service date begins in America/Los_Angeles (midnight there is 07:00 or 08:00 UTC). */
export function startOfServiceDate(serviceDate: string): Date {
  const daylight = new Date(`${serviceDate}T07:00:00.000Z`);
  return serviceDateOf(daylight) === serviceDate ? daylight : new Date(`${serviceDate}T08:00:00.000Z`);
}
