import type { ProfileView } from '@cs/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { PROFILE_SCHEMA, ProfileSchema } from '../schema/profile-schema';
import { newCustomerId } from './customer-id';
import type { CoreValues } from './dto/profile-body';
import { profileNotFound } from './errors';
import { toProfileView } from './profile-view';
import { ProfilesRepository } from './profiles.repository';

@Injectable()
export class ProfilesService {
  constructor(
    private readonly repository: ProfilesRepository,
    @Inject(PROFILE_SCHEMA) private readonly schema: ProfileSchema,
  ) {}

  /** Spec §4.1 (P1): stores the profile under a new server-generated id. */
  async create(tenant: string, values: CoreValues): Promise<string> {
    const now = Date.now();
    const customerId = newCustomerId();
    await this.repository.insert({
      tenant,
      customerId,
      attributes: JSON.stringify(values),
      createdAt: now,
      updatedAt: now,
    });
    return customerId;
  }

  /** Spec §4.3 (P3): every core attribute that has a value. */
  async get(tenant: string, customerId: string): Promise<ProfileView> {
    const row = await this.repository.findById(tenant, customerId);
    if (!row) throw profileNotFound(customerId);
    return toProfileView(row.customerId, JSON.parse(row.attributes) as CoreValues, this.schema);
  }
}
