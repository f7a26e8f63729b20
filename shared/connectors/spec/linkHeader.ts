/**
 * The target of the link with relation `rel` in an RFC 8288 `Link` header (`<url>; rel="next"`,
 * several links comma-separated, `rel` possibly a space-separated list), or undefined.
 */
export function linkTarget(header: string | undefined, rel: string): string | undefined {
  if (header === undefined) return undefined;
  for (const link of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]*)*)/g)) {
    const params = link[2] ?? '';
    for (const param of params.matchAll(/;\s*([^=;\s]+)\s*=\s*(?:"([^"]*)"|([^;,\s]*))/g)) {
      if (param[1]!.toLowerCase() !== 'rel') continue;
      const relations = (param[2] ?? param[3] ?? '').toLowerCase().split(/\s+/);
      if (relations.includes(rel)) return link[1];
    }
  }
  return undefined;
}
