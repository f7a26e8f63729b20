/** Resolver codes that mean "this name has no address", as opposed to "no answer came". */
const noAddressCodes = new Set(['ENOTFOUND', 'ENODATA']);

export function isNoSuchHost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && noAddressCodes.has(code);
}
