import { stringify } from 'csv-stringify/sync';
import { UtilizationRecord } from '@crc/contracts';

export type FeedFormat = 'json' | 'ndjson' | 'csv';

export const CSV_COLUMNS: Array<keyof UtilizationRecord> = [
  'recordId',
  'visitId',
  'revision',
  'supersedes',
  'status',
  'centerId',
  'serviceDate',
  'plan',
  'basis',
  'productLine',
  'planPartner',
  'flags',
  'ruleVersion',
  'memberId',
  'purposes',
  'checkedInAt',
  'checkedOutAt',
  'membershipHelp',
  'telehealthWifiMinutes',
  'publishedAt',
];

/**
 * A cell's text before quoting. Lists join with `|`; a help case reads `caseType:outcome:minutes`.
 * A value a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab or carriage return)
 * is prefixed with `'`. docs/api-guide.md documents the format for partners.
 */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  const part = (v: unknown) =>
    v && typeof v === 'object'
      ? [(v as Record<string, unknown>).caseType, (v as Record<string, unknown>).outcome ?? '', (v as Record<string, unknown>).minutes ?? ''].join(':')
      : String(v);
  const text = Array.isArray(value) ? value.map(part).join('|') : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180 as csv-stringify writes it: CRLF after every record, a field quoted when it holds a comma, a quote or a line break. */
function csvRows(rows: string[][]): string {
  return stringify(rows, { record_delimiter: 'windows', eof: true });
}

/** One CSV cell, quoted as it would be in a record. */
export function csvCell(value: unknown): string {
  return csvRows([[cellText(value)]]).replace(/\r\n$/, '');
}

export function toCsv(items: UtilizationRecord[], withHeader: boolean): string {
  const rows = items.map((item) => CSV_COLUMNS.map((column) => cellText(item[column])));
  return csvRows(withHeader ? [[...CSV_COLUMNS], ...rows] : rows);
}

export function toNdjson(items: UtilizationRecord[]): string {
  return items.map((item) => `${JSON.stringify(item)}\n`).join('');
}

/** The fields a page disclosed, for the ledger. */
export function disclosedFields(items: UtilizationRecord[]): string[] {
  return [
    ...new Set(
      items.flatMap((item) =>
        Object.entries(item)
          .filter(([, v]) => v !== undefined)
          .map(([k]) => k),
      ),
    ),
  ].sort();
}
