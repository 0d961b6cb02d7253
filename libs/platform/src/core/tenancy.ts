import { ApiError } from './api-error';

/**
 * Tenant resolution, ARCHITECTURE §5. `ContactCenterId` carries a tenant id or name,
 * `X-Genesys-TenantId` an integer id. With `CS_TENANTS` set only listed tenants exist; without it every
 * value is its own partition. The result is the partition key stored on every row.
 */
export interface TenancyConfig {
  defaultTenant: string;
  requireTenant: boolean;
  /** id → name, from `CS_TENANTS` (`1:default,101:acme`); undefined when open tenancy. */
  tenants?: Map<string, string>;
}

export interface TenantHeaders {
  contactCenterId?: string;
  tenantId?: string;
}

const MAX_TENANT_LENGTH = 64;
const TENANT_CODE = 'INVALID_TENANT';

export function parseTenantList(value: string): Map<string, string> {
  const tenants = new Map<string, string>();
  for (const item of value.split(',')) {
    const entry = item.trim();
    if (!entry) continue;
    const match = /^(\d{1,18}):([^:,]{1,64})$/.exec(entry);
    if (!match) throw new Error(`'${entry}' is not of the form <id>:<name>`);
    if (tenants.has(match[1])) throw new Error(`tenant id ${match[1]} is listed twice`);
    tenants.set(match[1], match[2].trim());
  }
  if (tenants.size === 0) throw new Error('no tenant listed');
  return tenants;
}

export function resolveTenant(headers: TenantHeaders, config: TenancyConfig): string {
  const byName = headers.contactCenterId?.trim()
    ? fromContactCenterId(headers.contactCenterId.trim(), config)
    : undefined;
  const byId = headers.tenantId?.trim() ? fromTenantId(headers.tenantId.trim(), config) : undefined;
  if (byName !== undefined && byId !== undefined && byName !== byId) {
    throw tenantError(
      "Invalid tenant specified : HTTP headers 'ContactCenterId' and 'X-Genesys-TenantId' name different tenants.",
    );
  }
  const tenant = byName ?? byId;
  if (tenant !== undefined) return tenant;
  if (config.requireTenant) {
    throw tenantError(
      "Invalid tenant specified : no tenant specified in multi-tenant environment. Verify configuration and 'ContactCenterId' HTTP header.",
    );
  }
  return config.defaultTenant;
}

function fromContactCenterId(value: string, config: TenancyConfig): string {
  if (!config.tenants) return checkedPartition(value, 'ContactCenterId');
  if (config.tenants.has(value)) return value;
  const wanted = value.toLowerCase();
  for (const [id, name] of config.tenants) if (name.toLowerCase() === wanted) return id;
  throw notConfigured('ContactCenterId', value);
}

function fromTenantId(value: string, config: TenancyConfig): string {
  if (!/^\d{1,18}$/.test(value)) {
    throw tenantError(
      `Invalid tenant specified : HTTP header 'X-Genesys-TenantId'='${clip(value)}' is not an integer.`,
    );
  }
  const id = String(BigInt(value));
  if (config.tenants && !config.tenants.has(id)) throw notConfigured('X-Genesys-TenantId', value);
  return id;
}

function checkedPartition(value: string, header: string): string {
  if (value.length > MAX_TENANT_LENGTH) {
    throw tenantError(
      `Invalid tenant specified : HTTP header '${header}' exceeds ${MAX_TENANT_LENGTH} characters.`,
    );
  }
  // A numeric id is normalised so that "007" and "7" are the same tenant.
  return /^\d{1,18}$/.test(value) ? String(BigInt(value)) : value;
}

function notConfigured(header: string, value: string): ApiError {
  return tenantError(
    `Invalid tenant specified : specified tenant in HTTP header '${header}'='${clip(value)}' not configured. Verify configuration.`,
  );
}

function tenantError(message: string): ApiError {
  return new ApiError(400, TENANT_CODE, message);
}

function clip(value: string): string {
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}
