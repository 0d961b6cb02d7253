import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ServiceEntity } from './service.entity';

/** SQL for services. Every query filters on the tenant. */
@Injectable()
export class ServicesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One INSERT, no reload (the generated `seq` is not needed by callers). */
  async insert(row: Omit<ServiceEntity, 'seq'>): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ServiceEntity)
      .values(row)
      .updateEntity(false)
      .execute();
  }

  async findById(tenant: string, serviceId: string): Promise<ServiceEntity | null> {
    return this.dataSource
      .getRepository(ServiceEntity)
      .createQueryBuilder('s')
      .where('s.tenant = :tenant AND s.service_id = :serviceId', { tenant, serviceId })
      .getOne();
  }
}
