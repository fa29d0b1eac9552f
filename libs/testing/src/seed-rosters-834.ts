import { enrollment834, Member834 } from './enrollment-834.generator';

interface MappingFile {
  [plan: string]: { receiverIds: string[]; productLine: { values?: Record<string, string> }; planPartner?: { values?: Record<string, string> } };
}

/**
 * A seed roster (NDJSON) as the full-file 834 a plan would have (BGN08 RX, every member an audit
 * entry, 030), written with the file codes of the plan's mapping so that uploading it gives the
 * same roster records.
 */
export function seedRosterAs834(plan: string, ndjson: string, mappingJson: string): string {
  const mapping = (JSON.parse(mappingJson) as MappingFile)[plan];
  const codeOf = (values: Record<string, string> | undefined, code: string | undefined) =>
    code === undefined ? undefined : (Object.entries(values ?? {}).find(([, v]) => v === code)?.[0] ?? code);
  const members: Member834[] = ndjson
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, string>)
    .map((row) => ({
      memberId: row.memberId,
      ...(row.cin ? { cin: row.cin } : {}),
      productLine: codeOf(mapping.productLine.values, row.productLine),
      ...(row.planPartner ? { planPartner: codeOf(mapping.planPartner?.values, row.planPartner) } : {}),
      maintenance: '030',
      coverageStart: row.coverageStart,
      ...(row.coverageEnd ? { coverageEnd: row.coverageEnd } : {}),
    }));
  return enrollment834({ receiver: mapping.receiverIds[0], action: 'RX', members });
}
