/** The CRM objects the connector syncs, each a stream of the same name. */
export const hubSpotObjectTypes = ['contacts', 'companies', 'deals'] as const;
export type HubSpotObjectType = (typeof hubSpotObjectTypes)[number];

/**
 * The properties a read asks for: without `properties` HubSpot returns only a few defaults. A
 * property the portal lacks is left out of the answer, not refused.
 */
export const hubSpotProperties: Record<HubSpotObjectType, readonly string[]> = {
  contacts: ['email', 'firstname', 'lastname', 'phone', 'company', 'website', 'jobtitle', 'lifecyclestage'],
  companies: ['name', 'domain', 'phone', 'industry', 'city', 'country'],
  deals: ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate'],
};

/**
 * The property the search filters and sorts by modified time: contacts keep it in
 * `lastmodifieddate`, other objects in `hs_lastmodifieddate` (HubSpot CRM search guide). It holds
 * the same instant as the record's `updatedAt`, which the windows re-anchor on.
 */
export function modifiedPropertyOf(stream: string): string {
  return stream === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}
