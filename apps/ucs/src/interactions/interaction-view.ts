import { formatDateTime } from '@cs/platform/core';
import { CONTENT_PARTS, type ContentPart, type InteractionEntity } from './interaction.entity';

/** The link member of the view for each content part (spec §3.7: `text`, `structured_text`, `binary_content`). */
const LINK_NAMES: Record<ContentPart, string> = {
  plain_text: 'text',
  structured_text: 'structured_text',
  binary_content: 'binary_content',
};

export function contentPartsOf(row: Pick<InteractionEntity, 'contentParts'>): ContentPart[] {
  const stored = row.contentParts.split(',');
  return CONTENT_PARTS.filter((part) => stored.includes(part));
}

/**
 * The Interaction object of spec §3.7: absent optional values omitted, dates in the wire format,
 * content only as absolute links under `interactionsUrl` (`http://host/genesys/1/cs/interactions`).
 */
export function toInteractionView(row: InteractionEntity, interactionsUrl: string): Record<string, unknown> {
  const view: Record<string, unknown> = { interaction_id: row.interactionId };
  const put = (name: string, value: unknown) => {
    if (value !== null && value !== undefined) view[name] = value;
  };
  put('customer_id', row.customerId);
  put('service_id', row.serviceId);
  view.status = Number(row.status);
  view.entity_type = Number(row.entityType);
  view.type = row.type;
  put('sub_type', row.subType);
  view.media_type = row.mediaType;
  put('parent_id', row.parentId);
  put('thread_id', row.threadId);
  put('external_id', row.externalId);
  put('owner_id', row.ownerId === null ? null : Number(row.ownerId));
  view.creator_app_id = Number(row.creatorAppId);
  view.start_date = formatDateTime(Number(row.startDate));
  put('end_date', row.endDate === null ? null : formatDateTime(Number(row.endDate)));
  put('timeshift', row.timeshift === null ? null : Number(row.timeshift));
  put('subject', row.subject);
  const details = JSON.parse(row.details) as Record<string, unknown>;
  for (const [name, value] of Object.entries(details)) if (!(name in view)) put(name, value);
  const base = `${interactionsUrl}/${encodeURIComponent(row.interactionId)}`;
  for (const part of contentPartsOf(row)) view[LINK_NAMES[part]] = `${base}/${part}`;
  return view;
}
