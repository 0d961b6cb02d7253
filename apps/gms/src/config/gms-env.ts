import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { CommonEnv, toBool } from '@cs/platform/core';

/** gms configuration, validated at boot (ARCHITECTURE §3). */
export class GmsEnv extends CommonEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  GMS_PORT: number = 8081;

  @IsString()
  GMS_HOST: string = '0.0.0.0';

  @Matches(/^(sqlite:.+|mysql:\/\/.+|mariadb:\/\/.+)$/, {
    message: 'must be sqlite:<file> or mysql://user:pass@host:port/db',
  })
  GMS_DATABASE_URL: string = 'sqlite:data/gms.sqlite';

  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  GMS_MIGRATE_ON_START: boolean = true;

  /** The `<n>` of `<n>-<uuid>` service ids (spec §2.5); e.g. the replica ordinal. */
  @IsInt()
  @Min(0)
  @Max(999)
  GMS_NODE_ID: number = 0;

  /** Default service lifetime in seconds (spec §1.7 `cview/expiration`; default 5 years). */
  @IsInt()
  @Min(1)
  @Max(100 * 365 * 24 * 3600)
  GMS_EXPIRATION_SECONDS: number = 5 * 365 * 24 * 3600;
}
