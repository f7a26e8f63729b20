/** A QuickBooks entity synced as a stream: its name in queries and CDC, the path segment its writes use, and how it is deleted. */
export interface QuickBooksEntity {
  entity: string;
  /** `name`: customers and items are never deleted, only made inactive (`Active: false`); transactions are deleted outright. */
  list: 'name' | 'transaction';
  dependsOn: readonly string[];
}

/** The streams the connector offers, each one QuickBooks entity. */
export const quickBooksEntities: Record<string, QuickBooksEntity> = {
  customers: { entity: 'Customer', list: 'name', dependsOn: [] },
  items: { entity: 'Item', list: 'name', dependsOn: [] },
  invoices: { entity: 'Invoice', list: 'transaction', dependsOn: ['customers', 'items'] },
  sales_receipts: { entity: 'SalesReceipt', list: 'transaction', dependsOn: ['customers', 'items'] },
  payments: { entity: 'Payment', list: 'transaction', dependsOn: ['customers', 'invoices'] },
};

/** The stream of an entity as webhooks name it (`Customer`, `customer`), if synced. */
export function streamOfEntity(name: string): string | undefined {
  return Object.entries(quickBooksEntities).find(([, entity]) => entity.entity.toLowerCase() === name.toLowerCase())?.[0];
}
