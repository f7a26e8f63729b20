/**
 * `{name}` placeholders in a spec's URLs, filled from the connection's settings or a record id.
 * Values are inserted as given for the base URL (a store root may carry a path) and encoded as one
 * path segment for ids. A value ending in `/` followed by `/` in the template loses its own slash,
 * so `{baseUrl}/api` works whether or not the tenant wrote a trailing slash.
 */
const placeholder = /\{([A-Za-z_][\w]*)\}/g;

/** The placeholder names a template uses. */
export function templateNames(template: string): string[] {
  return [...template.matchAll(placeholder)].map((match) => match[1]!);
}

export function fillTemplate(template: string, values: Readonly<Record<string, string>>, encode = false): string {
  return template.replace(placeholder, (_whole, name: string, offset: number) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}}`);
    const followedBySlash = template[offset + name.length + 2] === '/';
    const trimmed = followedBySlash ? value.replace(/\/+$/, '') : value;
    return encode ? encodeURIComponent(trimmed) : trimmed;
  });
}
