import { Injectable } from '@nestjs/common';
import { createHash, Hash, randomUUID } from 'node:crypto';
import { DomainError, EligibilityUploadResponse, PartnerPlan, RejectedRosterRow } from '@crc/contracts';
import { Coverage } from '../../domain/coverage';
import { ProductLineCatalog } from '../../domain/product-line-catalog';
import { CoverageRepository } from '../../persistence/coverage.repository';
import { RosterUploadRepository } from '../../persistence/roster-upload.repository';
import { X12InterchangeRepository } from '../../persistence/x12-interchange.repository';
import { X12StagedBatchRepository } from '../../persistence/x12-staged-batch.repository';
import { Enrollment834Mappings, Plan834Mapping } from '../../x12/enrollment-834-mapping';
import { Interchange834Reader } from '../../x12/interchange-834-reader';
import { mapMemberLoop, RosterOperation } from '../../x12/member-loop';
import { X12StreamError, x12SegmentsOf } from '../../x12/x12-segments';
import { TouchedIdentifiers } from '../touched-identifiers';
import { UploadX12RosterCommand, X12_834_FORMAT } from './upload-x12-roster.command';
import { acknowledge } from './x12-acknowledgement';

const STAGED_BATCH = 1000;
const UPSERT_BATCH = 1000;
const MAX_LISTED_REJECTIONS = 1000;
/** An upload that stopped heart-beating this long ago died; a resend of its file may take over. */
const STALE_MS = 5 * 60_000;
/** Staged operations of uploads that died are removed after this long. */
const STAGED_KEPT_MS = 24 * 3600_000;

/**
 * Takes a plan's X12 834 as it streams in. The file is read once: each member loop is mapped to
 * roster operations (through the plan's mapping) and staged in the store in batches, so memory stays
 * bounded whatever the size. Only when the whole interchange has been read and its envelope checks
 * out are the staged operations applied, in file order; a file whose envelope does not is refused
 * with nothing applied. A member loop with a problem is refused alone, like a bad CSV row.
 *
 * An interchange is applied once: the same sender and control number again, with the same bytes,
 * is a resend (answered, not applied); with other bytes, a mistake (refused).
 */
@Injectable()
export class UploadX12RosterUseCase {
  constructor(
    private readonly coverages: CoverageRepository,
    private readonly productLines: ProductLineCatalog,
    private readonly uploads: RosterUploadRepository,
    private readonly mappings: Enrollment834Mappings,
    private readonly staged: X12StagedBatchRepository,
    private readonly interchanges: X12InterchangeRepository,
  ) {}

  async execute(command: UploadX12RosterCommand): Promise<EligibilityUploadResponse> {
    const { plan } = command;
    const uploadId = randomUUID();
    await this.uploads.begin({ _id: uploadId, plan, mode: command.requestedMode ?? 'REPLACE', format: X12_834_FORMAT, uploadedBy: command.uploadedBy });
    let rejected = 0;
    const refuse = async (error: DomainError, mode?: 'REPLACE' | 'MERGE'): Promise<never> => {
      await this.staged.discard(uploadId);
      await this.uploads.refused(uploadId, error.code, { accepted: 0, rejected }, mode);
      throw error;
    };
    const mapping = this.mappings.of(plan);
    if (!mapping) return refuse(new DomainError('X12.NO_MAPPING', 'No 834 mapping is configured for this plan; nothing was applied.', 'UNPROCESSABLE'));
    await this.staged.discardOlderThan(new Date(Date.now() - STAGED_KEPT_MS));

    const lines = this.productLines.of(plan);
    const reader = new Interchange834Reader();
    const hash = createHash('sha256');
    const rejectedRows: RejectedRosterRow[] = [];
    let acceptedLoops = 0;
    let pending: RosterOperation[] = [];
    let batches = 0;
    const stagePending = async () => {
      if (pending.length === 0) return;
      await this.staged.stage(uploadId, batches++, pending);
      pending = [];
      await this.uploads.progress(uploadId, { accepted: 0, rejected });
    };

    try {
      for await (const segment of x12SegmentsOf(hashing(command.body, hash))) {
        for (const event of reader.read(segment)) {
          if (event.kind === 'INTERCHANGE') {
            checkPartner(this.mappings, plan, mapping, 'ISA06 (interchange sender)', event.header.senderId, 'sender');
            checkPartner(this.mappings, plan, mapping, 'ISA08 (interchange receiver)', event.header.receiverId, 'receiver');
          } else if (event.kind === 'GROUP') {
            checkPartner(this.mappings, plan, mapping, 'GS02 (application sender)', event.senderId, 'sender');
            checkPartner(this.mappings, plan, mapping, 'GS03 (application receiver)', event.receiverId, 'receiver');
          } else {
            const result = mapMemberLoop(plan, event.member, mapping, lines);
            if ('problems' in result) {
              rejected++;
              event.set.rejectedLoops++;
              for (const p of result.problems) {
                if (rejectedRows.length >= MAX_LISTED_REJECTIONS) break;
                rejectedRows.push({
                  line: p.line,
                  code: 'X12.INVALID_LOOP',
                  message: p.message,
                  segment: p.position,
                  segmentId: p.segmentId,
                  loop: p.loop,
                  transactionSet: event.set.controlNumber,
                });
              }
            } else {
              acceptedLoops++;
              pending.push(...result.operations);
              if (pending.length >= STAGED_BATCH) await stagePending();
            }
          }
        }
      }
    } catch (error) {
      if (error instanceof X12StreamError) return refuse(new DomainError(error.code, error.message, 'UNPROCESSABLE'));
      if (error instanceof DomainError) return refuse(error);
      await this.staged.discard(uploadId);
      throw error;
    }
    reader.finish();
    if (reader.problems.length > 0) {
      const problems = reader.problems.map((p) => ({ code: 'X12.ENVELOPE', ...p }));
      return refuse(
        new DomainError(
          'X12.ENVELOPE_INVALID',
          `The interchange's envelope does not check out (${reader.problemCount} problems); nothing was applied.`,
          'UNPROCESSABLE',
          problems,
        ),
      );
    }
    const mode = reader.action!;
    if (command.requestedMode && command.requestedMode !== mode) {
      return refuse(
        new DomainError(
          'X12.MODE_MISMATCH',
          `mode=${command.requestedMode} was asked, but the file's BGN08 makes it ${mode === 'REPLACE' ? 'a full file (REPLACE)' : 'changes (MERGE)'}; nothing was applied.`,
          'UNPROCESSABLE',
        ),
        mode,
      );
    }
    if (acceptedLoops === 0) {
      const error =
        rejected === 0
          ? new DomainError('ROSTER.EMPTY', 'The interchange holds no member loop; nothing was changed.', 'UNPROCESSABLE')
          : new DomainError('ROSTER.NO_VALID_ROWS', 'No member loop of the interchange is valid; nothing was changed.', 'UNPROCESSABLE', rejectedRows);
      return refuse(error, mode);
    }
    await stagePending();

    const header = reader.header!;
    const acknowledgement = acknowledge(header.controlNumber, reader.acknowledgement());
    const interchange = { plan, id: `${plan}|${header.senderQualifier}:${header.senderId}|${header.controlNumber}` };
    const claim = await this.interchanges.claim(interchange, uploadId, hash.digest('hex'), STALE_MS);
    if (claim.outcome === 'RESEND') {
      await this.staged.discard(uploadId);
      await this.uploads.refused(uploadId, 'X12.RESEND', { accepted: 0, rejected: 0 }, mode);
      return { plan, mode, accepted: 0, rejected: 0, rejectedRows: [], removed: 0, uploadId, acknowledgement, resendOf: claim.uploadId };
    }
    if (claim.outcome === 'DIFFERENT_FILE') {
      return refuse(
        new DomainError(
          'X12.CONTROL_NUMBER_REUSED',
          "This sender's interchange control number (ISA13) was used before for another file; nothing was applied.",
          'CONFLICT',
        ),
        mode,
      );
    }
    if (claim.outcome === 'IN_PROGRESS') {
      return refuse(new DomainError('X12.INTERCHANGE_IN_PROGRESS', 'Another upload of this interchange is being applied; try again later.', 'CONFLICT'), mode);
    }

    const touched = new TouchedIdentifiers();
    let accepted = 0;
    let removed = 0;
    try {
      accepted = await this.apply(plan, uploadId, batches, touched, () => this.interchanges.heartbeat(interchange.id, uploadId));
      if (mode === 'REPLACE' && rejected === 0) {
        // A full file is the whole roster: spans it no longer lists go (only when no loop was refused,
        // or a member whose loop was malformed would lose coverage silently).
        for (const gone of await this.coverages.identifiersNotWrittenBy(plan, uploadId)) touched.touch(gone);
        removed = await this.coverages.removeNotWrittenBy(plan, uploadId);
      }
    } catch (error) {
      // Applying again gives the same roster: let a resend do it at once. The upload's record stays
      // RECEIVING, so that the visits of what was applied are attributed again by the sweep.
      await this.interchanges.release(interchange.id, uploadId);
      throw error;
    }
    await this.interchanges.applied(interchange.id, uploadId);
    await this.staged.discard(uploadId);
    await this.uploads.stored(uploadId, { accepted, rejected, removed }, touched.recorded, mode);
    return { plan, mode, accepted, rejected, rejectedRows, removed, uploadId, acknowledgement };
  }

  /** The staged operations, in file order: spans in batches, each end after the spans before it. */
  private async apply(plan: PartnerPlan, uploadId: string, batches: number, touched: TouchedIdentifiers, heartbeat: () => Promise<void>): Promise<number> {
    let applied = 0;
    let spans: Coverage[] = [];
    const flush = async () => {
      await this.coverages.upsert(uploadId, spans);
      spans = [];
    };
    for (let batch = 0; batch < batches; batch++) {
      for (const operation of (await this.staged.read(uploadId, batch)) ?? []) {
        if (operation.kind === 'COVER') {
          spans.push(operation.coverage);
          touched.touch(operation.coverage);
          if (spans.length >= UPSERT_BATCH) await flush();
        } else {
          await flush();
          touched.touch(operation);
          for (const changed of await this.coverages.endCoverage(plan, uploadId, operation)) touched.touch(changed);
        }
        applied++;
      }
      await this.uploads.progress(uploadId, { accepted: applied, rejected: 0 });
      await heartbeat();
    }
    await flush();
    return applied;
  }
}

/** Feeds the bytes to the hash as they pass (the resend check compares whole files). */
async function* hashing(body: AsyncIterable<Buffer | string>, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    hash.update(buffer);
    yield buffer;
  }
}

/**
 * A plan uploads its own members' enrolment only: the interchange must be addressed to it, by a
 * sender it receives 834s from. Names positions, never the ids the file holds.
 */
function checkPartner(
  mappings: Enrollment834Mappings,
  plan: PartnerPlan,
  mapping: Plan834Mapping,
  element: string,
  id: string,
  role: 'sender' | 'receiver',
): void {
  const own = role === 'sender' ? mapping.senderIds : mapping.receiverIds;
  if (own.includes(id)) return;
  if (mappings.otherPlansNamedBy(plan, id).length > 0) {
    throw new DomainError('X12.WRONG_PLAN', `${element} names another plan: a plan uploads only its own members' enrolment. Nothing was applied.`, 'FORBIDDEN');
  }
  throw new DomainError(
    'X12.UNKNOWN_PARTNER',
    `${element} is not one of this plan's configured ${role === 'sender' ? 'senders' : 'receiver ids'} (X12_834_MAPPING_FILE). Nothing was applied.`,
    'UNPROCESSABLE',
  );
}
