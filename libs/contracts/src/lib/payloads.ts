import { Type } from 'class-transformer';
import {
  IsArray,
  IsBase64,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/** `ucs.profile.get`: one profile of a tenant, as `GET /profiles/{id}` returns it. */
export interface ProfileGetRequest {
  tenant: string;
  customer_id: string;
}

export type ProfileView = { customer_id: string } & Record<string, unknown>;

/** `cs.gms.service.started`: the service as `GET /services/{id}` returns it, with all extensions. */
export type ServiceView = { service_id: string; started: Record<string, unknown> } & Record<string, unknown>;

/** An e-mail address of an interaction (spec ucs §3.7). */
export class InteractionEmailAddress {
  @IsString()
  @Length(1, 320)
  address!: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  personal?: string;
}

const DATE_TIME = { strict: true, strictSeparator: true } as const;

/**
 * `ucs.interaction.record`: records an interaction, or updates the one of that id in the tenant
 * (spec ucs §3.7 fields, snake_case as on the wire). Fields left out keep their stored value; on a
 * first record they take defaults (status 0, type `Inbound`, media_type `unknown`, creator_app_id 0,
 * start_date now, entity_type from the media type). Content parts are given inline (`binary_content`
 * in base64) and read back through I4. Answered with {@link InteractionRecordReply}.
 */
export class InteractionRecordRequest {
  @IsString()
  @Length(1, 64)
  tenant!: string;

  @IsString()
  @Length(1, 64)
  interaction_id!: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  customer_id?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  service_id?: string;

  /** 0 NEW, 1 PENDING, 2 IN_PROCESS, 3 STOPPED. */
  @IsOptional()
  @IsIn([0, 1, 2, 3])
  status?: number;

  /** 0 EMAIL_IN, 1 EMAIL_OUT, 2 CHAT, 3 PHONE_CALL, 5 CALLBACK, 6 COBROWSE, 7 INTERACTION. */
  @IsOptional()
  @IsIn([0, 1, 2, 3, 5, 6, 7])
  entity_type?: number;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  type?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  sub_type?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  media_type?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  parent_id?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  thread_id?: string;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  external_id?: string;

  @IsOptional()
  @IsInt()
  owner_id?: number;

  @IsOptional()
  @IsInt()
  creator_app_id?: number;

  @IsOptional()
  @IsISO8601(DATE_TIME)
  start_date?: string;

  @IsOptional()
  @IsISO8601(DATE_TIME)
  end_date?: string;

  @IsOptional()
  @IsInt()
  timeshift?: number;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  subject?: string;

  /** Attached user data: string values only. */
  @IsOptional()
  @IsObject()
  udata?: Record<string, string>;

  // Chat
  @IsOptional()
  @IsISO8601(DATE_TIME)
  established_date?: string;

  @IsOptional()
  @IsISO8601(DATE_TIME)
  released_date?: string;

  // Phone call
  @IsOptional()
  @IsInt()
  duration?: number;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  outcome?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  phone_number?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  tconnection_id?: string;

  // Inbound e-mail
  @IsOptional()
  @ValidateNested()
  @Type(() => InteractionEmailAddress)
  from?: InteractionEmailAddress;

  @IsOptional()
  @ValidateNested()
  @Type(() => InteractionEmailAddress)
  reply_to?: InteractionEmailAddress;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => InteractionEmailAddress)
  to?: InteractionEmailAddress[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => InteractionEmailAddress)
  cc?: InteractionEmailAddress[];

  @IsOptional()
  @IsISO8601(DATE_TIME)
  sent_date?: string;

  // Content parts (I4)
  @IsOptional()
  @IsString()
  plain_text?: string;

  @IsOptional()
  @IsString()
  structured_text?: string;

  /** MIME type of `structured_text` (`type/subtype`, parameters allowed); default `text/html`. */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  @Matches(
    /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"\r\n]*"|[A-Za-z0-9!#$&^_.+-]+))*$/,
    {
      message: 'structured_text_mime_type must be a media type such as text/html',
    },
  )
  structured_text_mime_type?: string;

  @IsOptional()
  @IsBase64()
  binary_content?: string;
}

/** The answer to `ucs.interaction.record`. */
export interface InteractionRecordReply {
  interaction_id: string;
  /** True when this request created the interaction, false when it updated it. */
  created: boolean;
}
