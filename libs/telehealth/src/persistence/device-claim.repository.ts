import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { documentKey, StoreProfile } from '@crc/platform';
import { DeviceClaim, DeviceClaimRepositoryPort } from '../domain/wifi-session.repository.port';
import { DeviceClaimDocument } from './device-claim.schema';

const DUPLICATE_KEY = 11000;

@Injectable()
export class DeviceClaimRepository implements DeviceClaimRepositoryPort {
  constructor(
    @InjectModel(DeviceClaimDocument.name) private readonly claims: Model<DeviceClaimDocument>,
    private readonly store: StoreProfile,
  ) {}

  /** Claims the device for the session; returns whoever holds it afterwards (the session itself when the claim succeeded). */
  async claim(claimId: string, sessionId: string, at: Date): Promise<DeviceClaim> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.claims.create({ _id: claimId, sessionId, claimedAt: at });
        return { sessionId, claimedAt: at };
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      }
      const holder = await this.find(claimId);
      if (holder) return holder;
      // Released in between: try again.
    }
    throw new Error('device claim kept changing hands while being taken');
  }

  async find(claimId: string): Promise<DeviceClaim | undefined> {
    const doc = await this.claims.findById(claimId).lean<DeviceClaimDocument>().exec();
    return doc ? { sessionId: doc.sessionId, claimedAt: doc.claimedAt } : undefined;
  }

  /**
   * Frees the device, only if this session still holds it (never a newer claim). Exclusive where
   * the store needs it: FerretDB reads then deletes, and could otherwise delete a claim taken meanwhile.
   */
  async release(claimId: string, sessionId: string): Promise<void> {
    await this.store.exclusive(documentKey(this.claims.collection, claimId), () => this.claims.deleteOne({ _id: claimId, sessionId }).exec());
  }
}
