import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One interaction of a tenant (spec §3.7); dates are epoch milliseconds. */
@Entity({ name: 'interactions' })
export class InteractionEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenant!: string;

  @PrimaryColumn({ name: 'interaction_id', type: 'varchar', length: 64 })
  interactionId!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 64, nullable: true })
  customerId!: string | null;

  @Column({ name: 'service_id', type: 'varchar', length: 128, nullable: true })
  serviceId!: string | null;

  @Column({ type: 'int' })
  status!: number;

  @Column({ name: 'entity_type', type: 'int' })
  entityType!: number;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ name: 'sub_type', type: 'varchar', length: 64, nullable: true })
  subType!: string | null;

  @Column({ name: 'media_type', type: 'varchar', length: 64 })
  mediaType!: string;

  @Column({ name: 'parent_id', type: 'varchar', length: 64, nullable: true })
  parentId!: string | null;

  @Column({ name: 'thread_id', type: 'varchar', length: 64, nullable: true })
  threadId!: string | null;

  @Column({ name: 'external_id', type: 'varchar', length: 255, nullable: true })
  externalId!: string | null;

  @Column({ name: 'owner_id', type: 'int', nullable: true })
  ownerId!: number | null;

  @Column({ name: 'creator_app_id', type: 'int' })
  creatorAppId!: number;

  @Column({ name: 'start_date', type: 'bigint' })
  startDate!: string | number;

  @Column({ name: 'end_date', type: 'bigint', nullable: true })
  endDate!: string | number | null;

  @Column({ type: 'int', nullable: true })
  timeshift!: number | null;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  /** JSON object: `udata` and the kind-specific fields. */
  @Column({ type: 'text' })
  details!: string;

  /** Comma list of the stored content parts. */
  @Column({ name: 'content_parts', type: 'varchar', length: 64 })
  contentParts!: string;

  @Column({ name: 'created_at', type: 'bigint' })
  createdAt!: string | number;

  @Column({ name: 'updated_at', type: 'bigint' })
  updatedAt!: string | number;
}

export const CONTENT_PARTS = ['plain_text', 'structured_text', 'binary_content'] as const;
export type ContentPart = (typeof CONTENT_PARTS)[number];

/** One content part of an interaction (spec §4.22, I4). */
@Entity({ name: 'interaction_contents' })
export class InteractionContentEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenant!: string;

  @PrimaryColumn({ name: 'interaction_id', type: 'varchar', length: 64 })
  interactionId!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  part!: ContentPart;

  @Column({ name: 'mime_type', type: 'varchar', length: 128 })
  mimeType!: string;

  @Column({ type: 'text' })
  content!: string;
}
