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
 * One CSV cell. Lists are joined with `|`. A value a spreadsheet would run as a formula
 * (leading `=`, `+`, `-`, `@`) is prefixed with `'`.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  // Lists join with |; help cases read as type:outcome:minutes.
  const part = (v: unknown) =>
    v && typeof v === 'object' ? [(v as Record<string, unknown>).caseType, (v as Record<string, unknown>).outcome ?? '', (v as Record<string, unknown>).minutes ?? ''].join(':') : String(v);
  let text = Array.isArray(value) ? value.map(part).join('|') : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(items: UtilizationRecord[], withHeader: boolean): string {
  const lines = items.map((item) => CSV_COLUMNS.map((column) => csvCell(item[column])).join(','));
  return `${withHeader ? `${CSV_COLUMNS.join(',')}\r\n` : ''}${lines.map((l) => `${l}\r\n`).join('')}`;
}

export function toNdjson(items: UtilizationRecord[]): string {
  return items.map((item) => `${JSON.stringify(item)}\n`).join('');
}

/** The fields a page disclosed, for the ledger. */
export function disclosedFields(items: UtilizationRecord[]): string[] {
  return [...new Set(items.flatMap((item) => Object.entries(item).filter(([, v]) => v !== undefined).map(([k]) => k)))].sort();
}
