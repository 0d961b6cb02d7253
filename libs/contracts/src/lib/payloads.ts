/** `ucs.profile.get`: one profile of a tenant, as `GET /profiles/{id}` returns it. */
export interface ProfileGetRequest {
  tenant: string;
  customer_id: string;
}

export type ProfileView = { customer_id: string } & Record<string, unknown>;

/** `cs.gms.service.started`: the service as `GET /services/{id}` returns it, with all extensions. */
export type ServiceView = { service_id: string; started: Record<string, unknown> } & Record<string, unknown>;
