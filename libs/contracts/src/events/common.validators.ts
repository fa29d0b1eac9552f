import { Matches, ValidateBy } from 'class-validator';
import { DATE_FORMAT, DATE_TIME_FORMAT, isCalendarDate, isDateTime } from '../date-time';

export const CENTER_ID_PATTERN = /^crc-[a-z0-9-]{2,60}$/;

export const IsCenterId = () => Matches(CENTER_ID_PATTERN, { message: '$property must be a center id like crc-el-monte' });

/** The one date type of every route and event (date-time.ts). */
export const IsCalendarDate = () =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: { validate: (value) => isCalendarDate(value), defaultMessage: () => `$property must be a calendar date as ${DATE_FORMAT}` },
  });

/** A service date: a calendar date in America/Los_Angeles. */
export const IsServiceDate = IsCalendarDate;

/** The one date-time type of every route and event (date-time.ts). */
export const IsDateTime = () =>
  ValidateBy({
    name: 'isDateTime',
    validator: { validate: (value) => isDateTime(value), defaultMessage: () => `$property must be a date-time as ${DATE_TIME_FORMAT}` },
  });
