/** What gms reads from `cs.ucs.profile.merged` (libs/contracts subjects.ts): the rest is ignored. */
export interface MergedProfile {
  /** The destination profile, which survives the merge. */
  destinationId: string;
  /** The source profile, deleted by the merge. */
  sourceId: string;
  /** true: only the source's active services move; its completed ones are deleted (decision 0005). */
  keepActiveServiceOnly: boolean;
}

/** The merge described by an event's `data`, or a reason why it cannot be read. */
export function readMergedProfile(data: unknown): MergedProfile | string {
  if (typeof data !== 'object' || data === null) return 'data is not an object';
  const d = data as Record<string, unknown>;
  if (!isId(d.customer_id)) return 'data.customer_id is not a profile id';
  if (!isId(d.src_id)) return 'data.src_id is not a profile id';
  if (d.customer_id === d.src_id) return 'data.customer_id and data.src_id are the same profile';
  const keep = d.keep_active_service_only;
  if (keep !== undefined && typeof keep !== 'boolean')
    return 'data.keep_active_service_only is not a boolean';
  return { destinationId: d.customer_id, sourceId: d.src_id, keepActiveServiceOnly: keep === true };
}

/** gms stores customer ids in a varchar(256). */
function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256;
}
