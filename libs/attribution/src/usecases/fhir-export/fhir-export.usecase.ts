import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, PartnerPlan } from '@crc/contracts';
import { CenterDirectory } from '@crc/platform';
import { FhirDefinitions } from '../../domain/fhir-definitions';
import { currentRevisions, fhirResources, FHIR_PSEUDONYMS, FHIR_TYPES, FhirPseudonyms, FhirType } from '../../domain/fhir-mapping';
import { DisclosureLedger } from '../../persistence/disclosure-ledger.repository';
import { FhirExportJob, FhirExportRepository } from '../../persistence/fhir-export.repository';
import { UtilizationFeedRepository } from '../../persistence/utilization-feed.repository';
import { toUtilizationRecord } from '../../persistence/utilization-feed.repository';

export class FhirExportNotFoundError extends DomainError {
  constructor() {
    super('FHIR.EXPORT_NOT_FOUND', 'No such export for this plan.', 'NOT_FOUND');
  }
}

export class UnsupportedFhirTypeError extends DomainError {
  constructor() {
    super('FHIR.UNSUPPORTED_TYPE', `_type must list resource types among ${FHIR_TYPES.join(', ')}.`, 'INVALID');
  }
}

export interface BulkDataManifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: true;
  output: Array<{ type: string; url: string }>;
  error: [];
}

const PAGE = 1000;

/** The pseudonym key's provider (FhirPseudonyms, built from configuration). */

/** What each file discloses, for the ledger. */
const DISCLOSED_FIELDS: Record<FhirType, string[]> = {
  Encounter: ['Encounter: visit id, center, services, period, status, attribution', 'subject: pseudonymous Patient reference'],
  Patient: ['Patient.identifier: member id or CIN', 'Patient.id: pseudonymous'],
  Coverage: ['Coverage: plan, product line', 'beneficiary: pseudonymous Patient reference'],
};

/**
 * The feed shaped as a FHIR Bulk Data export (kick-off, status with a manifest, NDJSON files),
 * so a plan's FHIR pipeline loads it without custom code. An export is a fixed slice of the
 * feed: its files can be fetched again and read the same. Each visit with a record in the slice
 * is one Encounter, as its latest record in the slice says (a correction updates it; its
 * `meta.versionId` is the revision); earlier revisions are not exported.
 */
@Injectable()
export class FhirExportUseCase {
  constructor(
    private readonly exports: FhirExportRepository,
    private readonly feed: UtilizationFeedRepository,
    private readonly ledger: DisclosureLedger,
    private readonly centers: CenterDirectory,
    @Inject(FHIR_PSEUDONYMS) private readonly pseudonyms: FhirPseudonyms,
    private readonly definitions: FhirDefinitions,
  ) {}

  async start(plan: PartnerPlan, requestedBy: string, request: string, typesParam?: string, since?: Date): Promise<string> {
    const types = typesParam ? typesParam.split(',').map((t) => t.trim()) : [...FHIR_TYPES];
    if (types.length === 0 || !types.every((t) => (FHIR_TYPES as readonly string[]).includes(t))) throw new UnsupportedFhirTypeError();
    const afterSeq = since ? await this.feed.seqBefore(plan, since) : 0;
    const throughSeq = await this.feed.lastSeq(plan);
    const id = randomUUID();
    await this.exports.insert({
      _id: id,
      plan,
      requestedBy,
      types,
      afterSeq,
      throughSeq: Math.max(afterSeq, throughSeq),
      request,
      transactionTime: new Date(),
    });
    return id;
  }

  async manifest(plan: PartnerPlan, exportId: string, baseUrl: string): Promise<BulkDataManifest> {
    const job = await this.job(plan, exportId);
    return {
      transactionTime: job.transactionTime.toISOString(),
      request: job.request,
      requiresAccessToken: true,
      output: job.types.map((type) => ({ type, url: `${baseUrl}/v1/partners/${plan}/fhir/exports/${exportId}/${type}.ndjson` })),
      error: [],
    };
  }

  /**
   * The plan is done with the export, or no longer wants it (Bulk Data's DELETE on the status URL):
   * its status and files are not found from then on. Exports complete at once, so there is no work
   * to stop; the record stays, marked, for audit.
   */
  async cancel(plan: PartnerPlan, exportId: string, cancelledBy: string): Promise<void> {
    if (!(await this.exports.cancel(plan, exportId, cancelledBy, new Date()))) throw new FhirExportNotFoundError();
  }

  /** The NDJSON lines of one file; the disclosure is recorded before the first line. */
  async *file(plan: PartnerPlan, exportId: string, type: string, recipient: string): AsyncGenerator<string> {
    const job = await this.job(plan, exportId);
    if (!job.types.includes(type)) throw new FhirExportNotFoundError();
    const latest = await this.latestSeqOfEachVisit(plan, job);
    await this.ledger.record({
      plan,
      recipient,
      channel: 'FHIR_EXPORT',
      fields: DISCLOSED_FIELDS[type as FhirType],
      containsPhi: true,
      records: latest.size,
      range: { exportId, type, afterPosition: job.afterSeq, throughPosition: job.throughSeq },
    });
    const seen = new Set<string>();
    const centerName = (id: string) => this.centers.all().find((c) => c.centerId === id)?.name ?? id;
    for (let after = job.afterSeq; after < job.throughSeq;) {
      const docs = (await this.feed.page(plan, after, PAGE)).filter((d) => d.seq <= job.throughSeq);
      if (docs.length === 0) break;
      const current = currentRevisions(docs, latest).map(toUtilizationRecord);
      for (const resource of fhirResources(current, plan, type as FhirType, centerName, this.pseudonyms, seen, this.definitions.canonicals))
        yield `${JSON.stringify(resource)}\n`;
      after = docs[docs.length - 1].seq;
    }
  }

  /**
   * A first, light pass over the slice (visit id and position only): where each visit's latest
   * record is. Holding one entry per visit, not whole records, keeps a year's export in memory;
   * the second pass then yields each visit once, at its latest record.
   */
  private async latestSeqOfEachVisit(plan: PartnerPlan, job: FhirExportJob): Promise<Map<string, number>> {
    const latest = new Map<string, number>();
    for (let after = job.afterSeq; after < job.throughSeq;) {
      const positions = (await this.feed.visitPositions(plan, after, PAGE * 5)).filter((p) => p.seq <= job.throughSeq);
      if (positions.length === 0) break;
      for (const { visitId, seq } of positions) latest.set(visitId, seq);
      after = positions[positions.length - 1].seq;
    }
    return latest;
  }

  private async job(plan: PartnerPlan, exportId: string): Promise<FhirExportJob> {
    const job = await this.exports.find(plan, exportId);
    if (!job) throw new FhirExportNotFoundError();
    return job;
  }
}
