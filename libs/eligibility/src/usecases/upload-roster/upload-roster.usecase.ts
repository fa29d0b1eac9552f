import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, EligibilityUploadResponse, PartnerPlan, RejectedRosterRow } from '@crc/contracts';
import { LINE_TOO_LONG } from '@crc/platform';
import { Coverage, isRowProblem, readRosterRow } from '../../domain/coverage';
import { ProductLineCatalog } from '../../domain/product-line-catalog';
import { RosterLineReader } from '../../domain/roster-lines';
import { CoverageRepository } from '../../persistence/coverage.repository';
import { RosterUploadRepository } from '../../persistence/roster-upload.repository';
import { TouchedIdentifiers } from '../touched-identifiers';
import { RosterUploadMode, UploadRosterCommand } from './upload-roster.command';

const BATCH_SIZE = 1000;
const MAX_LISTED_REJECTIONS = 1000;

/**
 * Streams a roster upload into the store in batches. Bad rows are reported one by one and never
 * stop the good ones. A replace removes the spans it did not list only when every row was good:
 * otherwise a member whose row was malformed would lose coverage silently.
 *
 * The answer speaks of the upload's own lines only. Every upload is recorded (who, when, plan, mode,
 * counts); a stored one also records, in the same write, which member ids and CINs it touched, so
 * that their visits are attributed again after the answer, by a worker that survives a restart.
 */
@Injectable()
export class UploadRosterUseCase {
  constructor(
    private readonly coverages: CoverageRepository,
    private readonly productLines: ProductLineCatalog,
    private readonly uploads: RosterUploadRepository,
  ) {}

  /** Records an upload refused before any line was read (its mode or format); the caller answers the error. */
  async refuse(upload: { plan: PartnerPlan; mode: RosterUploadMode | 'INVALID'; format: string; uploadedBy: string }, outcome: string): Promise<void> {
    const uploadId = randomUUID();
    await this.uploads.begin({ _id: uploadId, ...upload });
    await this.uploads.refused(uploadId, outcome, { accepted: 0, rejected: 0 });
  }

  async execute(command: UploadRosterCommand): Promise<EligibilityUploadResponse> {
    const uploadId = randomUUID();
    await this.uploads.begin({ _id: uploadId, plan: command.plan, mode: command.mode, format: command.format, uploadedBy: command.uploadedBy });
    const reader = new RosterLineReader(command.format);
    const allowedLines = this.productLines.of(command.plan);
    const rejectedRows: RejectedRosterRow[] = [];
    let rejected = 0;
    let accepted = 0;
    let batch: Coverage[] = [];
    const touched = new TouchedIdentifiers();
    const touch = (c: Pick<Coverage, 'memberId' | 'cin'>) => touched.touch(c);
    const reject = (line: number, message: string) => {
      rejected++;
      if (rejectedRows.length < MAX_LISTED_REJECTIONS) rejectedRows.push({ line, code: 'ROSTER.INVALID_ROW', message });
    };

    let lineNumber = 0;
    for await (const line of command.lines) {
      lineNumber++;
      if (line === LINE_TOO_LONG) {
        reject(lineNumber, 'line is too long');
        continue;
      }
      const parsed = reader.read(line);
      if ('skip' in parsed) continue;
      if ('error' in parsed) {
        reject(lineNumber, parsed.error);
        continue;
      }
      const row = readRosterRow(command.plan, parsed.fields, allowedLines);
      if (isRowProblem(row)) {
        reject(lineNumber, row.message);
        continue;
      }
      batch.push(row);
      touch(row);
      if (batch.length >= BATCH_SIZE) {
        await this.coverages.upsert(uploadId, batch);
        accepted += batch.length;
        batch = [];
        await this.uploads.progress(uploadId, { accepted, rejected });
      }
    }
    await this.coverages.upsert(uploadId, batch);
    accepted += batch.length;

    if (accepted === 0) {
      const error =
        rejected === 0
          ? new DomainError('ROSTER.EMPTY', 'The upload holds no rows; nothing was changed.', 'UNPROCESSABLE')
          : new DomainError('ROSTER.NO_VALID_ROWS', 'No row of the upload is valid; nothing was changed.', 'UNPROCESSABLE', rejectedRows);
      await this.uploads.refused(uploadId, error.code, { accepted, rejected });
      throw error;
    }

    let removed = 0;
    if (command.mode === 'REPLACE' && rejected === 0) {
      // Members whose spans disappear are touched too: their visits may lose their plan.
      for (const gone of await this.coverages.identifiersNotWrittenBy(command.plan, uploadId)) touch(gone);
      removed = await this.coverages.removeNotWrittenBy(command.plan, uploadId);
    }
    await this.uploads.stored(uploadId, { accepted, rejected, removed }, touched.recorded);
    return { plan: command.plan, mode: command.mode, accepted, rejected, rejectedRows, removed, uploadId };
  }
}
