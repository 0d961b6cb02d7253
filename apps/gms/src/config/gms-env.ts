import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
} from 'class-validator';
import type { ValidationArguments, ValidatorConstraintInterface } from 'class-validator';
import { CommonEnv, IsUsersVariable, readJsonSource, toBool } from '@cs/platform/core';
import { parseAttributeLists } from '../business-attributes/attributes-config';

/** Checks a variable with a parser that throws; the message carries the parser's reason. */
abstract class ParsedConstraint implements ValidatorConstraintInterface {
  private problem = '';
  protected abstract check(value: string, args: ValidationArguments): void;
  validate(value: unknown, args: ValidationArguments): boolean {
    try {
      this.check(typeof value === 'string' ? value : '', args);
      return true;
    } catch (error) {
      this.problem = (error as Error).message;
      return false;
    }
  }
  defaultMessage(): string {
    return this.problem;
  }
}

@ValidatorConstraint({ name: 'businessAttributes' })
class BusinessAttributesConstraint extends ParsedConstraint {
  protected check(value: string): void {
    parseAttributeLists(readJsonSource(value));
  }
}

/** gms configuration, validated at boot (ARCHITECTURE §3; options of spec §1.11). */
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

  /** `cview/enabled`: false → every service-API route answers 503. */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  GMS_ENABLED: boolean = true;

  /**
   * `cview/expiration`: default service lifetime as `<int><unit>` (spec §1.7). Not validated here: an
   * invalid value falls back to `5y` with a warning, as the spec wants (see gmsOptions).
   */
  @IsString()
  GMS_EXPIRATION: string = '5y';

  /** `cview/auto-complete-enabled` (spec §1.8): without it the auto-complete sweep does nothing. */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  GMS_AUTO_COMPLETE_ENABLED: boolean = false;

  /** `cview/auto-complete-after`: default inactivity delay in seconds of services started from now on. */
  @IsOptional()
  @IsInt({ message: 'must be an integer number of seconds' })
  @Min(1)
  @Max(2 ** 31 - 1)
  GMS_AUTO_COMPLETE_AFTER?: number = undefined;

  /** `cview/use-role` (spec §1.9): HTTP Basic users of GMS_USERS and their roles are checked. */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  GMS_USE_ROLE: boolean = false;

  /** Users for GMS_USE_ROLE: `name:<scrypt hash>:Role1|Role2,...`, a JSON array, or a JSON file path. */
  @IsUsersVariable('GMS_USE_ROLE')
  GMS_USERS?: string = undefined;

  /** `cview/allow-custom-ids` (spec §2.5): Start Service accepts a caller-chosen `service_id`. */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  GMS_ALLOW_CUSTOM_IDS: boolean = false;

  /** Section `business-attributes`: JSON (inline or a file path) mapping fields to value lists. */
  @IsOptional()
  @Validate(BusinessAttributesConstraint)
  GMS_BUSINESS_ATTRIBUTES?: string = undefined;

  /** `cview/data-validation`: values of mapped fields must match their list (spec §2.6). */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  GMS_DATA_VALIDATION: boolean = false;

  /** `business-attributes/map-names`: reads show value names instead of DB ids. */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  GMS_MAP_NAMES: boolean = false;

  /** `business-attributes/store-names`: writes store value names instead of DB ids. */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  GMS_STORE_NAMES: boolean = false;

  /** Directory of `POST /maintenance/services/files` (spec §4.27 `export-dir`); created when missing. */
  @IsString()
  @Matches(/\S/, { message: 'must be a directory path' })
  GMS_EXPORT_DIR: string = 'data/exports';

  /** Period of the expiration and auto-complete sweeps (spec §4.28), in milliseconds. */
  @IsInt()
  @Min(10)
  @Max(24 * 3600 * 1000)
  GMS_SWEEP_INTERVAL_MS: number = 60000;

  /** Maintenance jobs (`?async=true`, docs/decisions/0010): false → this replica accepts jobs but runs none. */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  GMS_JOB_RUNNER: boolean = true;

  /** How often an idle job runner looks for a queued job or one whose lease expired, in milliseconds. */
  @IsInt()
  @Min(10)
  @Max(3600 * 1000)
  GMS_JOB_POLL_MS: number = 1000;

  /** How long a job runner's claim lasts without renewal: a crashed runner's job resumes after it. */
  @IsInt()
  @Min(300)
  @Max(3600 * 1000)
  GMS_JOB_LEASE_MS: number = 30000;

  /** Services per batch (purge: per transaction; export: per page) of a maintenance job. */
  @IsInt()
  @Min(1)
  @Max(10000)
  GMS_JOB_BATCH_SIZE: number = 500;

  /** Pause between two batches of a job, in milliseconds: throttles a long job's load on the database. */
  @IsInt()
  @Min(0)
  @Max(60000)
  GMS_JOB_BATCH_PAUSE_MS: number = 0;

  /** Runs a job gets (first start, resumes, retries): the claim after the last one marks it failed. */
  @IsInt()
  @Min(1)
  @Max(1000)
  GMS_JOB_MAX_ATTEMPTS: number = 5;
}
