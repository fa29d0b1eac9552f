import { Injectable } from '@nestjs/common';
import { WifiSessionResponse } from '@crc/contracts';
import { WifiSessionNotFoundError } from '../../domain/wifi-session.errors';
import { WifiSessionRepositoryPort } from '../../domain/wifi-session.repository.port';
import { wifiSessionResponse } from '../wifi-session-response';

@Injectable()
export class ReadWifiSessionUseCase {
  constructor(private readonly sessions: WifiSessionRepositoryPort) {}

  async execute(centerId: string, sessionId: string): Promise<WifiSessionResponse> {
    const stored = await this.sessions.findAtCenter(centerId, sessionId);
    if (!stored) throw new WifiSessionNotFoundError();
    return wifiSessionResponse(stored.session);
  }
}
