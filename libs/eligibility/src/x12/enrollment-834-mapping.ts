import { readFileSync } from 'node:fs';
import { isPartnerPlan, PARTNER_PLANS, PartnerPlan } from '@crc/contracts';
import { X12Segment } from './x12-segments';

/**
 * Where one value sits in a member loop, written as a plan's analyst reads an implementation
 * guide: `2000 REF02 where REF01=0F` is the second element of the REF segment, in loop 2000, whose
 * first element is 0F. Several conditions join with `and`.
 */
export interface ElementReference {
  loop: string;
  segment: string;
  /** 1-based position of the element read. */
  element: number;
  /** Element position (1-based) and the value it must hold. */
  where: Array<[number, string]>;
  /** As written in the mapping file (for messages: it names positions, never values). */
  text: string;
}

const REFERENCE = /^(\w{4,5}) ([A-Z][A-Z0-9]{1,2})(\d{2})(?: where (.+))?$/;
const CONDITION = /^([A-Z][A-Z0-9]{1,2})(\d{2})=(\S+)$/;

export function parseElementReference(text: string): ElementReference {
  const match = REFERENCE.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not an element reference such as "2000 REF02 where REF01=0F"`);
  const [, loop, segment, element, conditions] = match;
  const where: Array<[number, string]> = [];
  for (const condition of conditions ? conditions.split(/\s+and\s+/) : []) {
    const c = CONDITION.exec(condition.trim());
    if (!c || c[1] !== segment) throw new Error(`"${text}": a condition must look like ${segment}01=VALUE`);
    where.push([Number(c[2]), c[3]]);
  }
  return { loop, segment, element: Number(element), where, text: text.trim() };
}

/** A value read from the file, then translated through `values` when the plan lists them. */
export interface MappedValue {
  from: ElementReference[];
  /** File code → roster code. Absent: the file's value is the roster code. */
  values?: Record<string, string>;
}

/** How one plan's 834 files become roster records: data a plan's analyst changes, not code. */
export interface Plan834Mapping {
  /** Interchange and group sender ids (ISA06, GS02) this plan receives 834s from. */
  senderIds: string[];
  /** Receiver ids (ISA08, GS03) that name this plan. */
  receiverIds: string[];
  memberId: ElementReference[];
  cin: ElementReference[];
  productLine: MappedValue;
  planPartner?: MappedValue;
}

interface Plan834MappingFile {
  senderIds: string[];
  receiverIds: string[];
  memberId: string[];
  cin?: string[];
  productLine: { from: string[]; values?: Record<string, string> };
  planPartner?: { from: string[]; values?: Record<string, string> };
}

/** A segment of a member loop, with the loop it belongs to. */
export interface LoopSegment {
  segment: X12Segment;
  loop: string;
  /** Position in the transaction set, ST being 1 (as a 999 counts). */
  position: number;
}

/** The first value any of the references finds in the segments, with where it was found. */
export function readReference(segments: LoopSegment[], references: ElementReference[]): { value: string; at: LoopSegment } | undefined {
  for (const reference of references) {
    for (const at of segments) {
      if (at.loop !== reference.loop || at.segment.id !== reference.segment) continue;
      if (!reference.where.every(([position, value]) => at.segment.elements[position - 1] === value)) continue;
      const value = at.segment.elements[reference.element - 1]?.trim();
      if (value) return { value, at };
    }
  }
  return undefined;
}

export class Enrollment834Mappings {
  constructor(private readonly plans: Partial<Record<PartnerPlan, Plan834Mapping>>) {}

  /** Reads and checks the mapping file; the message names the file and what is wrong. */
  static fromFile(path: string, productLinesOf?: (plan: PartnerPlan) => ReadonlySet<string>): Enrollment834Mappings {
    const fail = (why: string) => new Error(`X12_834_MAPPING_FILE ${path}: ${why}`);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw fail((error as Error).message);
    }
    const plans: Partial<Record<PartnerPlan, Plan834Mapping>> = {};
    for (const [plan, raw] of Object.entries(parsed)) {
      if (plan.startsWith('$')) continue; // "$comment"
      if (!isPartnerPlan(plan)) throw fail(`unknown plan ${plan}`);
      try {
        plans[plan] = Enrollment834Mappings.readPlan(raw as Plan834MappingFile, productLinesOf?.(plan));
      } catch (error) {
        throw fail(`${plan}: ${(error as Error).message}`);
      }
    }
    return new Enrollment834Mappings(plans);
  }

  private static readPlan(raw: Plan834MappingFile, productLines?: ReadonlySet<string>): Plan834Mapping {
    const ids = (name: string, list: unknown) => {
      if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v.trim() !== ''))
        throw new Error(`${name} must list at least one id`);
      return list.map((v: string) => v.trim());
    };
    const references = (name: string, list: unknown, required: boolean) => {
      if (list === undefined && !required) return [];
      if (!Array.isArray(list) || list.length === 0) throw new Error(`${name} must list at least one element reference`);
      return list.map((text) => parseElementReference(String(text)));
    };
    const mapped = (name: string, value: { from: string[]; values?: Record<string, string> } | undefined): MappedValue => {
      if (!value || typeof value !== 'object') throw new Error(`${name} must be an object with "from"`);
      return { from: references(`${name}.from`, value.from, true), ...(value.values ? { values: value.values } : {}) };
    };
    const productLine = mapped('productLine', raw.productLine);
    if (productLines && productLine.values) {
      const unknown = Object.values(productLine.values).filter((line) => !productLines.has(line));
      if (unknown.length > 0) throw new Error(`productLine.values names product lines the plan does not have: ${unknown.join(', ')}`);
    }
    return {
      senderIds: ids('senderIds', raw.senderIds),
      receiverIds: ids('receiverIds', raw.receiverIds),
      memberId: references('memberId', raw.memberId, true),
      cin: references('cin', raw.cin, false),
      productLine,
      ...(raw.planPartner ? { planPartner: mapped('planPartner', raw.planPartner) } : {}),
    };
  }

  of(plan: PartnerPlan): Plan834Mapping | undefined {
    return this.plans[plan];
  }

  /** The plans (other than `plan`) that an interchange id names, as sender or receiver. */
  otherPlansNamedBy(plan: PartnerPlan, id: string): PartnerPlan[] {
    return PARTNER_PLANS.filter((other) => other !== plan && this.plans[other]?.receiverIds.includes(id));
  }
}
