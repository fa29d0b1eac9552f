import { Injectable } from '@nestjs/common';
import { HelpQueueResponse } from '@crc/contracts';
import { CenterDirectory } from '@crc/platform';
import { waitingSeconds } from '../../domain/help-case';
import { HelpCaseRepositoryPort } from '../../domain/help-case.repository.port';
import { helpCaseResponse } from '../help-case-response';

const MAX_QUEUE = 1000;

/** The desk's queue: who is waiting or being helped, oldest first, with how long since they asked. */
@Injectable()
export class ListHelpQueueUseCase {
  constructor(
    private readonly centers: CenterDirectory,
    private readonly cases: HelpCaseRepositoryPort,
  ) {}

  async execute(centerId: string, now = new Date()): Promise<HelpQueueResponse> {
    this.centers.get(centerId);
    const cases = await this.cases.listQueue(centerId, MAX_QUEUE);
    return {
      centerId,
      asOf: now.toISOString(),
      items: cases.map((helpCase) => ({ ...helpCaseResponse(helpCase, 'omit'), waitingSeconds: waitingSeconds(helpCase, now) })),
    };
  }
}
