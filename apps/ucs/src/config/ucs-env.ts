import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, Validate } from 'class-validator';
import { CommonEnv, IsUsersVariable, toBool } from '@cs/platform/core';
import { ProfileSchemaConstraint } from '../schema/profile-schema';

/** ucs configuration, validated at boot (ARCHITECTURE §3). */
export class UcsEnv extends CommonEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  UCS_PORT: number = 8082;

  @IsString()
  UCS_HOST: string = '0.0.0.0';

  @Matches(/^(sqlite:.+|mysql:\/\/.+|mariadb:\/\/.+)$/, {
    message: 'must be sqlite:<file> or mysql://user:pass@host:port/db',
  })
  UCS_DATABASE_URL: string = 'sqlite:data/ucs.sqlite';

  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  UCS_MIGRATE_ON_START: boolean = true;

  /** Core profile attributes (spec §3.2) as JSON `[{"name":"FirstName","type":"string"}, …]`; unset → defaults. */
  @IsOptional()
  @Validate(ProfileSchemaConstraint)
  CS_PROFILE_SCHEMA?: string = undefined;

  /** Server mode at start-up (spec §2.9); one per process. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(['production', 'maintenance'], { message: 'must be production or maintenance' })
  CS_INITIAL_MODE: 'production' | 'maintenance' = 'production';

  /** How long a mode switch waits for in-flight requests of the other class (spec §2.9, A-43). */
  @IsInt()
  @Min(0)
  @Max(600000)
  CS_MODE_SWITCH_TIMEOUT_MS: number = 60000;

  /** Lets S2 (create extension schema) run in production (spec A-07). */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  CS_ALLOW_SCHEMA_WRITES_IN_PRODUCTION: boolean = false;

  /** Build absolute URLs (S8, interaction links) from X-Forwarded-Proto/-Host (spec §4.17). */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  CS_TRUST_PROXY: boolean = false;

  /** `cview/use-role` (spec §2.2): HTTP Basic users of UCS_USERS and their roles are checked. */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  UCS_USE_ROLE: boolean = false;

  /** Users for UCS_USE_ROLE (from a Secret): `name:<scrypt hash>:Role1|Role2,...`, JSON or a file path. */
  @IsUsersVariable('UCS_USE_ROLE')
  UCS_USERS?: string = undefined;
}
