/** What one page request may ask of a provider; WooCommerce serves at most 100. */
export const MAX_PAGE_SIZE = 100;

/** Records per page a run asks for: its batch size, within what a provider serves. */
export const pageSizeOf = (batchSize: number): number => Math.min(batchSize, MAX_PAGE_SIZE);
