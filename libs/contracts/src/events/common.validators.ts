import { Matches } from 'class-validator';
import { ISO_DATE_PATTERN } from '../service-date';

export const CENTER_ID_PATTERN = /^crc-[a-z0-9-]{2,60}$/;

export const IsCenterId = () => Matches(CENTER_ID_PATTERN, { message: '$property must be a center id like crc-el-monte' });
export const IsServiceDate = () => Matches(ISO_DATE_PATTERN, { message: '$property must be a date as YYYY-MM-DD' });
