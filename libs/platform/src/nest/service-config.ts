import type { MessagingConfig } from '../core/common-env';
import type { Logger } from '../core/logger';
import type { TenancyConfig } from '../core/tenancy';

/** What the platform needs to know about the app it runs in; built by each app from its env class. */
export interface ServiceConfig {
  /** `gms` or `ucs`: names the NATS queue group, the logger and the OpenAPI document. */
  name: string;
  title: string;
  port: number;
  host: string;
  basePath: string;
  /** The `exception` value of error bodies unless an error names its own. */
  defaultException: string;
  tenancy: TenancyConfig;
  messaging: MessagingConfig;
  logger: Logger;
}

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
