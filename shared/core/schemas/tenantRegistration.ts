export const tenantRegistrationKind = 'tenant_registration';
/** This kind, and the older spelling registrations stored before kinds were spelt in snake_case still carry: reads accept both. */
export const tenantRegistrationKinds = [tenantRegistrationKind, 'tenantRegistration'] as const;

/** One tenant's entry in the tenant registry in `tenants`, its id the tenant id (see sync/resources/registeredTenants.ts). */
export interface TenantRegistration {
  id: string;
  tenantId: string;
  kind: (typeof tenantRegistrationKinds)[number];
}
