import { AttributedPlan, AttributionBasis, AttributionFlag, DomainError, VisitPurpose } from '@crc/contracts';
import { narrative, paragraph, table } from './fhir-narrative';

/*
 * The network's own FHIR vocabulary, published as FHIR R4 conformance resources (CodeSystem,
 * ValueSet, StructureDefinition) so that a plan's validator knows every code and extension of
 * the export. Their canonical URLs are `<canonical base>/<type>/<id>`: the base is the
 * deployment's (FHIR_CANONICAL_BASE), set once and then kept, since a partner's pipeline matches
 * on these URLs; the service also serves each resource at `…/fhir/<type>/<id>`.
 */

/** A placeholder domain, for local runs: a deployment sets FHIR_CANONICAL_BASE to a URL it controls. */
export const DEFAULT_FHIR_CANONICAL_BASE = 'https://crc-network.example/fhir';
/** The business version of the definitions below: raised whenever a code or an extension changes. */
export const FHIR_DEFINITIONS_VERSION = '1.0.0';
/** When these definitions last changed (CodeSystem.date and the like). */
const DEFINITIONS_DATE = '2026-12-01';
const PUBLISHER = 'CRC network (L.A. Care Health Plan and Blue Shield of California Promise Health Plan Community Resource Centers)';

export const FHIR_DEFINITION_TYPES = ['CodeSystem', 'ValueSet', 'StructureDefinition'] as const;
export type FhirDefinitionType = (typeof FHIR_DEFINITION_TYPES)[number];

/** The canonical URL of one definition, under the deployment's base. */
type Canonical = (type: FhirDefinitionType, id: string) => string;

/** The canonical URLs the export and its errors write: its code systems and extensions. */
export interface FhirCanonicals {
  attribution: string;
  encounterCoverage: string;
  visitPurpose: string;
  plan: string;
  attributionBasis: string;
  attributionFlag: string;
  apiError: string;
}

const canonicalsOf = (canonical: Canonical): FhirCanonicals => ({
  attribution: canonical('StructureDefinition', 'attribution'),
  encounterCoverage: canonical('StructureDefinition', 'encounter-coverage'),
  visitPurpose: canonical('CodeSystem', 'visit-purpose'),
  plan: canonical('CodeSystem', 'plan'),
  attributionBasis: canonical('CodeSystem', 'attribution-basis'),
  attributionFlag: canonical('CodeSystem', 'attribution-flag'),
  apiError: canonical('CodeSystem', 'api-error'),
});

interface Concept {
  display: string;
  definition: string;
}

/** Typed as complete maps: a purpose, plan, basis or flag added to the contracts does not compile until it is defined here. */
export const VISIT_PURPOSE_CONCEPTS: Record<VisitPurpose, Concept> = {
  EXERCISE_CLASS: { display: 'Exercise class', definition: 'The visitor took part in an exercise class at the center.' },
  NUTRITION_CLASS: { display: 'Nutrition class', definition: 'The visitor took part in a nutrition class at the center.' },
  HEALTH_SCREENING: { display: 'Health screening', definition: 'The visitor had a health screening at the center.' },
  TELEHEALTH_WIFI: { display: 'Telehealth Wi-Fi', definition: "The visitor used the center's Wi-Fi for a telehealth visit with their own provider." },
  MEMBERSHIP_HELP: {
    display: 'Membership help',
    definition: "The visitor asked the center's staff for help with health plan membership (enrolment, renewal, questions).",
  },
  OTHER: { display: 'Other', definition: 'Any other reason for the visit.' },
};

const PLAN_CONCEPTS: Record<AttributedPlan, Concept> = {
  LA_CARE: { display: 'L.A. Care Health Plan', definition: 'The visit is attributed to L.A. Care Health Plan.' },
  BLUE_SHIELD_PROMISE: {
    display: 'Blue Shield of California Promise Health Plan',
    definition: 'The visit is attributed to Blue Shield of California Promise Health Plan.',
  },
  COMMUNITY: { display: 'Community', definition: 'The visit belongs to neither plan: a community visit, whose cost the plans share.' },
};

const BASIS_CONCEPTS: Record<AttributionBasis, Concept> = {
  ELIGIBILITY: {
    display: 'Eligibility roster',
    definition: "The member id the visitor gave matched coverage effective on the service date in the plan's eligibility roster.",
  },
  SELF_REPORTED: {
    display: 'Self-reported',
    definition: 'No roster matched; the visitor gave a member id and named the plan at the kiosk. Unverified.',
  },
  NONE: { display: 'None', definition: 'No roster matched and no plan was named: a community visit.' },
};

const FLAG_CONCEPTS: Record<AttributionFlag, Concept> = {
  DUAL_COVERAGE: {
    display: 'Dual coverage (rule version 1)',
    definition:
      "Both plans' rosters covered the visitor and, under attribution rule version 1, the later coverage start decided. Found on records made under version 1 only.",
  },
  DUAL_COVERAGE_CONFLICT: {
    display: 'Dual coverage conflict',
    definition: "Both plans' rosters cover the visitor and do not agree on a plan; operations review it. Never sent to a plan while it waits.",
  },
  DUAL_COVERAGE_RESOLVED: {
    display: 'Dual coverage conflict resolved',
    definition: 'A dual coverage conflict, resolved by operations or by the configured precedence between product lines.',
  },
};

/**
 * The machine-readable codes the FHIR endpoints answer errors with (`OperationOutcome.issue.details`).
 * The same codes as every other route of the service; listed here so a client's validator knows them.
 */
export const FHIR_API_ERROR_CONCEPTS: Record<string, Concept> = {
  'REQUEST.VALIDATION_FAILED': {
    display: 'Request not valid',
    definition: 'A parameter is not valid; the diagnostics name each parameter and what is wrong with it.',
  },
  'REQUEST.MALFORMED': { display: 'Request malformed', definition: 'The request could not be read.' },
  'REQUEST.INVALID_JSON': { display: 'Body not JSON', definition: 'The request body is not valid JSON.' },
  'REQUEST.EMPTY_BODY': { display: 'Body empty', definition: 'The request body is empty where JSON was declared.' },
  'REQUEST.BAD_CONTENT_LENGTH': { display: 'Content-Length wrong', definition: 'The Content-Length header does not match the body.' },
  'REQUEST.BAD_CONTENT_TYPE': { display: 'Content-Type malformed', definition: 'The Content-Type header is malformed.' },
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': { display: 'Media type not supported', definition: 'The body is of a media type this route does not read.' },
  'REQUEST.UNSUPPORTED_CHARSET': { display: 'Charset not supported', definition: 'The body is declared in a charset other than UTF-8.' },
  'REQUEST.TOO_LARGE': { display: 'Request too large', definition: 'The request body is larger than the service accepts.' },
  'REQUEST.NOT_ACCEPTABLE': { display: 'Not acceptable', definition: 'None of the media types the client accepts can be produced.' },
  'REQUEST.RATE_LIMITED': {
    display: 'Rate limited',
    definition: 'Too many requests from this credential (or, unauthenticated, from this address); retry after the Retry-After header.',
  },
  'REQUEST.REFUSED': { display: 'Request refused', definition: 'The request was refused for another reason.' },
  'AUTH.UNAUTHENTICATED': { display: 'Not authenticated', definition: 'No bearer token, or one the service does not know.' },
  'AUTH.FORBIDDEN': { display: 'Forbidden', definition: 'This credential may not do that.' },
  'AUTH.ROLE_NOT_ALLOWED': { display: 'Role not allowed', definition: "The credential's role may not call this route (the FHIR export is for partner plans)." },
  'AUTH.WRONG_PLAN': { display: 'Wrong plan', definition: "A partner's credential reached for another plan's path; each plan reads its own only." },
  'ROUTE.NOT_FOUND': { display: 'No such route', definition: 'No route answers this method and path.' },
  'ROUTE.METHOD_NOT_ALLOWED': { display: 'Method not allowed', definition: 'The route does not answer this method.' },
  'PLAN.NOT_FOUND': { display: 'No such plan', definition: 'The path names no partner plan (LA_CARE or BLUE_SHIELD_PROMISE).' },
  'FHIR.EXPORT_NOT_FOUND': {
    display: 'No such export',
    definition: "The plan has no export of this id: it never existed, it was cancelled, or it is another plan's.",
  },
  'FHIR.UNSUPPORTED_TYPE': {
    display: 'Resource type not exported',
    definition: '_type names a resource type the export does not carry (it carries Encounter, Patient and Coverage).',
  },
  'FHIR.DEFINITION_NOT_FOUND': {
    display: 'No such definition',
    definition: 'The service publishes no CodeSystem, ValueSet or StructureDefinition of this id.',
  },
  'SERVER.BUSY': {
    display: 'Service busy',
    definition: 'More writes were waiting for the store than it takes in time; nothing was written. Try again after Retry-After.',
  },
  'SERVER.STORE_UNAVAILABLE': {
    display: 'Store unavailable',
    definition: 'The service could not reach its store; try again after Retry-After. Nothing was lost.',
  },
  INTERNAL: { display: 'Internal error', definition: 'Something went wrong on the service side; the diagnostics carry an error id to quote to support.' },
};

const common = (canonical: Canonical, type: FhirDefinitionType, id: string, name: string, title: string, description: string) => ({
  resourceType: type,
  id,
  url: canonical(type, id),
  version: FHIR_DEFINITIONS_VERSION,
  name,
  title,
  status: 'active',
  experimental: false,
  date: DEFINITIONS_DATE,
  publisher: PUBLISHER,
  description,
});

function codeSystem(
  canonical: Canonical,
  id: string,
  name: string,
  title: string,
  description: string,
  concepts: Record<string, Concept>,
): Record<string, unknown> {
  const entries = Object.entries(concepts);
  return {
    ...common(canonical, 'CodeSystem', id, name, title, description),
    text: narrative(
      paragraph(`${title}: ${description}`),
      table(
        ['Code', 'Display', 'Definition'],
        entries.map(([code, c]) => [code, c.display, c.definition]),
      ),
    ),
    caseSensitive: true,
    valueSet: canonical('ValueSet', id),
    content: 'complete',
    count: entries.length,
    concept: entries.map(([code, c]) => ({ code, display: c.display, definition: c.definition })),
  };
}

/** Every code of one code system: what the extensions bind to. */
function allCodes(canonical: Canonical, id: string, name: string, title: string): Record<string, unknown> {
  const description = `All codes of the code system ${canonical('CodeSystem', id)}.`;
  return {
    ...common(canonical, 'ValueSet', id, name, title, description),
    text: narrative(paragraph(`${title}: ${description}`)),
    immutable: false,
    compose: { include: [{ system: canonical('CodeSystem', id) }] },
  };
}

interface SubExtension {
  name: string;
  min: 0 | 1;
  max: '1' | '*';
  type: 'code' | 'string' | 'integer';
  short: string;
  /** The ValueSet a code is bound to (required binding). */
  valueSet?: string;
}

const attributionParts = (canonical: Canonical): SubExtension[] => [
  { name: 'plan', min: 1, max: '1', type: 'code', short: 'The plan the visit is attributed to', valueSet: canonical('ValueSet', 'plan') },
  { name: 'basis', min: 1, max: '1', type: 'code', short: 'How the attribution was decided', valueSet: canonical('ValueSet', 'attribution-basis') },
  { name: 'ruleVersion', min: 1, max: '1', type: 'integer', short: 'Version of the attribution rules that decided' },
  {
    name: 'productLine',
    min: 0,
    max: '1',
    type: 'string',
    short: "The member's product line in the plan's roster (e.g. MEDI_CAL), when attributed on eligibility",
  },
  { name: 'planPartner', min: 0, max: '1', type: 'string', short: "The L.A. Care plan partner serving the member, as L.A. Care's roster names it" },
  { name: 'supersedes', min: 0, max: '1', type: 'string', short: 'The utilization record id this revision corrects' },
  { name: 'flag', min: 0, max: '*', type: 'code', short: 'Flags of the attribution (dual coverage)', valueSet: canonical('ValueSet', 'attribution-flag') },
];

function subExtensionElements(part: SubExtension): Record<string, unknown>[] {
  const slice = `Extension.extension:${part.name}`;
  return [
    { id: slice, path: 'Extension.extension', sliceName: part.name, short: part.short, definition: `${part.short}.`, min: part.min, max: part.max },
    { id: `${slice}.extension`, path: 'Extension.extension.extension', max: '0' },
    { id: `${slice}.url`, path: 'Extension.extension.url', fixedUri: part.name },
    {
      id: `${slice}.value[x]`,
      path: 'Extension.extension.value[x]',
      min: 1,
      type: [{ code: part.type }],
      ...(part.valueSet ? { binding: { strength: 'required', valueSet: part.valueSet } } : {}),
    },
  ];
}

function extensionDefinition(
  canonical: Canonical,
  id: string,
  name: string,
  title: string,
  description: string,
  elements: Record<string, unknown>[],
  narrativeBlocks: string[],
): Record<string, unknown> {
  return {
    ...common(canonical, 'StructureDefinition', id, name, title, description),
    text: narrative(paragraph(`${title}: ${description}`), ...narrativeBlocks),
    fhirVersion: '4.0.1',
    kind: 'complex-type',
    abstract: false,
    context: [{ type: 'element', expression: 'Encounter' }],
    type: 'Extension',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
    derivation: 'constraint',
    differential: { element: [{ id: 'Extension', path: 'Extension', short: title, definition: description, min: 0, max: '1' }, ...elements] },
  };
}

function attributionDefinition(canonical: Canonical, url: string): Record<string, unknown> {
  const parts = attributionParts(canonical);
  return extensionDefinition(
    canonical,
    'attribution',
    'Attribution',
    'Visit attribution',
    "To which plan the visit is attributed, on what basis and under which version of the attribution rules, as this revision of the visit's record says.",
    [
      {
        id: 'Extension.extension',
        path: 'Extension.extension',
        slicing: { discriminator: [{ type: 'value', path: 'url' }], ordered: false, rules: 'closed' },
        min: 3,
      },
      ...parts.flatMap(subExtensionElements),
      { id: 'Extension.url', path: 'Extension.url', fixedUri: url },
      { id: 'Extension.value[x]', path: 'Extension.value[x]', max: '0' },
    ],
    [
      table(
        ['Part', 'Cardinality', 'Type', 'Meaning'],
        parts.map((p) => [p.name, `${p.min}..${p.max}`, p.valueSet ? `code from ${p.valueSet}` : p.type, p.short]),
      ),
    ],
  );
}

function encounterCoverageDefinition(canonical: Canonical, url: string): Record<string, unknown> {
  return extensionDefinition(
    canonical,
    'encounter-coverage',
    'EncounterCoverage',
    'Coverage of the visit',
    'The Coverage (plan and product line) under which the visit was attributed on eligibility; present only then.',
    [
      { id: 'Extension.extension', path: 'Extension.extension', max: '0' },
      { id: 'Extension.url', path: 'Extension.url', fixedUri: url },
      {
        id: 'Extension.value[x]',
        path: 'Extension.value[x]',
        min: 1,
        type: [{ code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Coverage'] }],
      },
    ],
    [paragraph('Value: a Reference to a Coverage of the same export.')],
  );
}

const codeSystems = (canonical: Canonical) => [
  codeSystem(
    canonical,
    'visit-purpose',
    'VisitPurpose',
    'Visit purpose',
    'Why a visitor came to a Community Resource Center (Encounter.type); a visit may have several.',
    VISIT_PURPOSE_CONCEPTS,
  ),
  codeSystem(canonical, 'plan', 'AttributedPlan', 'Attributed plan', 'To whom a visit is attributed: a partner plan, or the community.', PLAN_CONCEPTS),
  codeSystem(canonical, 'attribution-basis', 'AttributionBasis', 'Attribution basis', 'How a visit was attributed to a plan.', BASIS_CONCEPTS),
  codeSystem(canonical, 'attribution-flag', 'AttributionFlag', 'Attribution flag', 'Flags an attribution carries.', FLAG_CONCEPTS),
  codeSystem(
    canonical,
    'api-error',
    'ApiError',
    'API error code',
    'Machine-readable error codes of the CRC network services, as the FHIR endpoints answer them in OperationOutcome.',
    FHIR_API_ERROR_CONCEPTS,
  ),
];

const valueSets = (canonical: Canonical) => [
  allCodes(canonical, 'visit-purpose', 'VisitPurpose', 'Visit purposes'),
  allCodes(canonical, 'plan', 'AttributedPlan', 'Attributed plans'),
  allCodes(canonical, 'attribution-basis', 'AttributionBasis', 'Attribution bases'),
  allCodes(canonical, 'attribution-flag', 'AttributionFlag', 'Attribution flags'),
  allCodes(canonical, 'api-error', 'ApiError', 'API error codes'),
];

const byId = (resources: Record<string, unknown>[]) => new Map(resources.map((r) => [r.id as string, r]));

export class FhirDefinitionNotFoundError extends DomainError {
  constructor() {
    super(
      'FHIR.DEFINITION_NOT_FOUND',
      `No such definition; the service publishes ${FHIR_DEFINITION_TYPES.join(', ')} resources of the ids listed at each type.`,
      'NOT_FOUND',
    );
  }
}

export function isFhirDefinitionType(type: string): type is FhirDefinitionType {
  return (FHIR_DEFINITION_TYPES as readonly string[]).includes(type);
}

/**
 * The network's definitions under one canonical base (the deployment's FHIR_CANONICAL_BASE), and
 * the canonical URLs the export writes: one instance per service, so that what is served, what
 * the export names and what errors cite always agree.
 */
export class FhirDefinitions {
  readonly canonicals: FhirCanonicals;
  private readonly byType: Record<FhirDefinitionType, ReadonlyMap<string, Record<string, unknown>>>;

  constructor(readonly canonicalBase: string = DEFAULT_FHIR_CANONICAL_BASE) {
    const canonical: Canonical = (type, id) => `${canonicalBase}/${type}/${id}`;
    this.canonicals = canonicalsOf(canonical);
    this.byType = {
      CodeSystem: byId(codeSystems(canonical)),
      ValueSet: byId(valueSets(canonical)),
      StructureDefinition: byId([
        attributionDefinition(canonical, this.canonicals.attribution),
        encounterCoverageDefinition(canonical, this.canonicals.encounterCoverage),
      ]),
    };
  }

  /** One published definition (a copy: callers may not change what is served). */
  definition(type: string, id: string): Record<string, unknown> {
    const resource = isFhirDefinitionType(type) ? this.byType[type].get(id) : undefined;
    if (!resource) throw new FhirDefinitionNotFoundError();
    return structuredClone(resource);
  }

  /**
   * The definitions of one type as a FHIR search result (`GET [base]/CodeSystem`, optionally
   * `?url=<canonical>`), for clients that look definitions up by canonical URL. `fhirBase` is the
   * endpoint's absolute base; each entry's fullUrl is where it is read.
   */
  search(fhirBase: string, type: string, url?: string): Record<string, unknown> {
    if (!isFhirDefinitionType(type)) throw new FhirDefinitionNotFoundError();
    const matches = [...this.byType[type].values()].filter((r) => url === undefined || r.url === url);
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: matches.length,
      link: [{ relation: 'self', url: `${fhirBase}/${type}${url === undefined ? '' : `?url=${encodeURIComponent(url)}`}` }],
      entry: matches.map((resource) => ({
        fullUrl: `${fhirBase}/${type}/${resource.id as string}`,
        resource: structuredClone(resource),
        search: { mode: 'match' },
      })),
    };
  }

  /** Every published definition, in a stable order: what a validator loads as the network's "implementation guide". */
  all(): Record<string, unknown>[] {
    return FHIR_DEFINITION_TYPES.flatMap((type) => [...this.byType[type].values()].map((r) => structuredClone(r)));
  }
}
