import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ProfileEntity } from './profile.entity';

/** SQL for profiles. Every query filters on the tenant. */
@Injectable()
export class ProfilesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(row: ProfileEntity): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ProfileEntity)
      .values(row)
      .updateEntity(false)
      .execute();
  }

  async findById(tenant: string, customerId: string): Promise<ProfileEntity | null> {
    return this.dataSource
      .getRepository(ProfileEntity)
      .createQueryBuilder('p')
      .where('p.tenant = :tenant AND p.customer_id = :customerId', { tenant, customerId })
      .getOne();
  }
}
