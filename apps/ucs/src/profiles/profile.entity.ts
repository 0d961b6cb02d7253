import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A customer profile (spec §3.1): core attribute values as JSON text `{ Name: [primary, ...] }`. */
@Entity({ name: 'profiles' })
export class ProfileEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenant!: string;

  @PrimaryColumn({ name: 'customer_id', type: 'varchar', length: 16 })
  customerId!: string;

  @Column({ type: 'text' })
  attributes!: string;

  @Column({ name: 'created_at', type: 'bigint' })
  createdAt!: string | number;

  @Column({ name: 'updated_at', type: 'bigint' })
  updatedAt!: string | number;
}
