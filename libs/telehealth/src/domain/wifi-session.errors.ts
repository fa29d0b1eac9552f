import { DomainError, WifiSessionEndReason } from '@crc/contracts';

export class WifiSessionNotFoundError extends DomainError {
  constructor(message = 'No such Wi-Fi session at this center.') {
    super('SESSION.NOT_FOUND', message, 'NOT_FOUND');
  }
}

export class WifiSessionAlreadyEndedError extends DomainError {
  constructor(ended: { endedBy?: WifiSessionEndReason; endedAt?: Date }) {
    const timedOut = ended.endedBy === 'TIMEOUT';
    super(
      'SESSION.ALREADY_ENDED',
      timedOut ? 'This session has ended: no heartbeat arrived within the idle timeout. Start a new one.' : 'This session has already ended.',
      'CONFLICT',
      { endedBy: ended.endedBy, endedAt: ended.endedAt?.toISOString() },
    );
  }
}

export class DeviceBusyError extends DomainError {
  constructor() {
    super('SESSION.DEVICE_BUSY', 'This device already has a Wi-Fi session in progress at this center; end it first.', 'CONFLICT');
  }
}

export class InvalidDeviceIdError extends DomainError {
  constructor() {
    // The value itself is never quoted: a MAC address is a device identifier.
    super('SESSION.INVALID_DEVICE_ID', 'deviceId must be a MAC address (48 bits, e.g. AA:BB:CC:DD:EE:FF).', 'INVALID', [
      { field: 'deviceId', problems: ['must be a MAC address'] },
    ]);
  }
}
