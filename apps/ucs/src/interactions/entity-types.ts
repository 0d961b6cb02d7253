/** Spec §3.7 `status` values. */
export const InteractionStatus = { NEW: 0, PENDING: 1, IN_PROCESS: 2, STOPPED: 3 } as const;

/** The defaults of a first record when the producer does not say (documented on the request class). */
export const DEFAULT_TYPE = 'Inbound';
export const UNKNOWN_MEDIA = 'unknown';

/**
 * Spec §3.7 `entity_type` from a media type name: 0 EMAIL_IN, 2 CHAT, 3 PHONE_CALL, 5 CALLBACK,
 * 6 COBROWSE, 7 INTERACTION (any other, open media). EMAIL_OUT (1) is only ever set explicitly.
 */
export function entityTypeOf(mediaType: string): number {
  switch (mediaType.toLowerCase()) {
    case 'email':
    case 'e-mail':
      return 0;
    case 'chat':
      return 2;
    case 'voice':
    case 'phone':
    case 'phonecall':
    case 'phone_call':
      return 3;
    case 'callback':
      return 5;
    case 'cobrowse':
      return 6;
    default:
      return 7;
  }
}
