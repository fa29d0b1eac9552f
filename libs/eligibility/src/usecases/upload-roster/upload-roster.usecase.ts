import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EligibilityUploadResponse, RejectedRosterRow } from '@crc/contracts';
import { LINE_TOO_LONG } from '@crc/platform';
import { Coverage, isRowProblem, readRosterRow } from '../../domain/coverage';
import { ProductLineCatalog } from '../../domain/product-line-catalog';
import { RosterLineReader } from '../../domain/roster-lines';
import { CoverageRepository } from '../../persistence/coverage.repository';
import { UploadRosterCommand } from './upload-roster.command';

const BATCH_SIZE = 1000;
const MAX_LISTED_REJECTIONS = 1000;

/**
 * Streams a roster upload into the store in batches. Bad rows are reported one by one and never
 * stop the good ones. A replace removes the spans it did not list only when every row was good:
 * otherwise a member whose row was malformed would lose coverage silently.
 */
@Injectable()
export class UploadRosterUseCase {
  constructor(
    private readonly coverages: CoverageRepository,
    private readonly productLines: ProductLineCatalog,
  ) {}

  async execute(command: UploadRosterCommand): Promise<EligibilityUploadResponse> {
    const uploadId = randomUUID();
    const reader = new RosterLineReader(command.format);
    const allowedLines = this.productLines.of(command.plan);
    const rejectedRows: RejectedRosterRow[] = [];
    let rejected = 0;
    let accepted = 0;
    let batch: Coverage[] = [];
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
      if (batch.length >= BATCH_SIZE) {
        await this.coverages.upsert(uploadId, batch);
        accepted += batch.length;
        batch = [];
      }
    }
    await this.coverages.upsert(uploadId, batch);
    accepted += batch.length;

    const removed =
      command.mode === 'REPLACE' && rejected === 0 && accepted > 0
        ? await this.coverages.removeNotWrittenBy(command.plan, uploadId)
        : 0;
    return { plan: command.plan, mode: command.mode, accepted, rejected, rejectedRows, removed, uploadId };
  }
}
