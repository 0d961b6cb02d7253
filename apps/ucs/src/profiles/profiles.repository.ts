import { isMySql } from '@cs/platform';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CoreValues } from './dto/profile-body';
import { ProfileEntity } from './profile.entity';

/** SQL for profiles. Every query filters on the tenant. */
@Injectable()
export class ProfilesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(m: EntityManager, row: ProfileEntity): Promise<void> {
    await m.createQueryBuilder().insert().into(ProfileEntity).values(row).updateEntity(false).execute();
  }

  async findById(tenant: string, customerId: string, m?: EntityManager): Promise<ProfileEntity | null> {
    const row = await (m ?? this.dataSource.manager)
      .getRepository(ProfileEntity)
      .createQueryBuilder('p')
      .where('p.tenant = :tenant AND p.customer_id = :customerId', { tenant, customerId })
      .getOne();
    // MySQL's default collation ignores case and trailing spaces; ids compare exactly (spec §2.5).
    return row !== null && row.customerId === customerId ? row : null;
  }

  /**
   * The core values of a profile, locked for the rest of the transaction on MySQL so concurrent writes
   * to one customer apply one after the other (SQLite transactions are serialised by UnitOfWork).
   */
  async lockCore(m: EntityManager, tenant: string, customerId: string): Promise<CoreValues | undefined> {
    const lock = isMySql(m.connection) ? ' FOR UPDATE' : '';
    const rows = (await m.query(
      `SELECT customer_id, attributes FROM profiles WHERE tenant = ? AND customer_id = ?${lock}`,
      [tenant, customerId],
    )) as { customer_id: string; attributes: string }[];
    const row = rows.find((r) => r.customer_id === customerId); // exact, whatever the collation (§2.5)
    return row === undefined ? undefined : (JSON.parse(row.attributes) as CoreValues);
  }

  async updateCore(m: EntityManager, tenant: string, customerId: string, values: CoreValues): Promise<void> {
    await m.query('UPDATE profiles SET attributes = ?, updated_at = ? WHERE tenant = ? AND customer_id = ?', [
      JSON.stringify(values),
      Date.now(),
      tenant,
      customerId,
    ]);
  }

  async delete(m: EntityManager, tenant: string, customerId: string): Promise<void> {
    await m.query('DELETE FROM profiles WHERE tenant = ? AND customer_id = ?', [tenant, customerId]);
  }

  /** Core values of every profile of the tenant (building a new profile key's index). */
  async listCore(m: EntityManager, tenant: string): Promise<{ customerId: string; core: CoreValues }[]> {
    const rows = (await m.query('SELECT customer_id, attributes FROM profiles WHERE tenant = ?', [
      tenant,
    ])) as {
      customer_id: string;
      attributes: string;
    }[];
    return rows.map((r) => ({ customerId: r.customer_id, core: JSON.parse(r.attributes) as CoreValues }));
  }
}
