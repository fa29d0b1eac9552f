/**
 * The human-readable part (`text`) of the FHIR resources we serve. Without it a validator warns
 * on every resource (R4's dom-6: "a resource should have narrative"). Everything written into it
 * comes from the resource's own elements and is escaped; a member id is never written into it
 * (it stays in `Patient.identifier` alone).
 */
export interface FhirNarrative {
  status: 'generated';
  div: string;
}

export function escapeXhtml(text: string | number): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A paragraph of plain text. */
export const paragraph = (text: string): string => `<p>${escapeXhtml(text)}</p>`;

/** A table of plain-text cells under a header row. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const head = `<tr>${header.map((h) => `<th>${escapeXhtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeXhtml(cell)}</td>`).join('')}</tr>`).join('');
  return `<table>${head}${body}</table>`;
}

/** A narrative made of already escaped blocks (see `paragraph` and `table`). */
export function narrative(...blocks: string[]): FhirNarrative {
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${blocks.join('')}</div>` };
}
