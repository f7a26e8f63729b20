/** Records per page a run asks for: its batch size, within the most its provider serves per page (e.g. 100). */
export const pageSizeOf = (batchSize: number, maxPageSize: number): number => Math.min(batchSize, maxPageSize);
