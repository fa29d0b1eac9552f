import { Injectable } from '@nestjs/common';
import { HelpCaseResponse } from '@crc/contracts';
import { HelpCaseNotFoundError } from '../../domain/help-case.errors';
import { HelpCaseRepositoryPort } from '../../domain/help-case.repository.port';
import { helpCaseResponse } from '../help-case-response';

@Injectable()
export class ReadHelpCaseUseCase {
  constructor(private readonly cases: HelpCaseRepositoryPort) {}

  /** Notes only for staff: the kiosk sees the case's progress, not what was written about the visitor. */
  async execute(centerId: string, caseId: string, options: { withNotes: boolean }): Promise<HelpCaseResponse> {
    const stored = await this.cases.findAtCenter(centerId, caseId);
    if (!stored) throw new HelpCaseNotFoundError();
    return helpCaseResponse(stored.helpCase, options.withNotes ? 'include' : 'omit');
  }
}
