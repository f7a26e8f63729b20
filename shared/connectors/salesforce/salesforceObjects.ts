/** The sObject behind each stream and the fields its SOQL selects, besides the system fields every row has. */
export interface SalesforceObject {
  type: string;
  fields: readonly string[];
  dependsOn: readonly string[];
}

/** Selected from every type: the id, and the times an incremental read and a concurrency check use. */
export const systemFields = ['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'] as const;

/** Contacts and opportunities refer to accounts (`AccountId`), so a run reads accounts first. */
export const salesforceObjects: Readonly<Record<string, SalesforceObject>> = {
  accounts: { type: 'Account', fields: ['Name', 'Website', 'Phone'], dependsOn: [] },
  contacts: { type: 'Contact', fields: ['FirstName', 'LastName', 'Email', 'Phone', 'AccountId'], dependsOn: ['accounts'] },
  opportunities: { type: 'Opportunity', fields: ['Name', 'Amount', 'StageName', 'CloseDate', 'AccountId'], dependsOn: ['accounts'] },
};
