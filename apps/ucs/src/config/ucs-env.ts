import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min, Validate } from 'class-validator';
import { CommonEnv, toBool } from '@cs/platform/core';
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
}
