/**
 * The target of the link with relation `rel` in an RFC 8288 `Link` header (`<url>; rel="next"`,
 * several links comma-separated, `rel` possibly a space-separated list), or undefined.
 */
export function linkTarget(header: string | undefined, rel: string): string | undefined {
  if (header === undefined) return undefined;
  // Quoted values may hold `,` and `;` (`title="Page 2, of 9"`): they do not end the link.
  for (const link of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,=\s]+(?:\s*=\s*(?:"[^"]*"|[^;,\s]*))?)*)/g)) {
    const params = link[2] ?? '';
    for (const param of params.matchAll(/;\s*([^=;\s]+)\s*=\s*(?:"([^"]*)"|([^;,\s]*))/g)) {
      if (param[1]!.toLowerCase() !== 'rel') continue;
      const relations = (param[2] ?? param[3] ?? '').toLowerCase().split(/\s+/);
      if (relations.includes(rel)) return link[1];
    }
  }
  return undefined;
}
