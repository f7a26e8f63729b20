/**
 * `{name}` placeholders in a spec's URLs, filled from the connection's settings or a record id.
 * Values are inserted as given for the base URL (a store root may carry a path) and encoded as one
 * path segment for ids. A value ending in `/` followed by `/` in the template loses its own slash,
 * so `{baseUrl}/api` works whether or not the tenant wrote a trailing slash. `{+name}` (RFC 6570
 * reserved expansion) keeps the value's slashes when encoding: ids that are resource names, e.g.
 * Google's `people/c123` in `{+id}:updateContact`.
 */
const placeholder = /\{(\+?)([A-Za-z_][\w]*)\}/g;

/** The placeholder names a template uses. */
export function templateNames(template: string): string[] {
  return [...template.matchAll(placeholder)].map((match) => match[2]!);
}

export function fillTemplate(template: string, values: Readonly<Record<string, string>>, encode = false): string {
  return template.replace(placeholder, (whole: string, reserved: string, name: string, offset: number) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}}`);
    const followedBySlash = template[offset + whole.length] === '/';
    const trimmed = followedBySlash ? value.replace(/\/+$/, '') : value;
    if (!encode) return trimmed;
    if (!reserved) return encodeURIComponent(trimmed);
    const segments = trimmed.split('/');
    // An empty, `.` or `..` segment would move the URL to another path of the API.
    if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) throw new Error(`{+${name}} must not hold empty, "." or ".." segments`);
    return segments.map(encodeURIComponent).join('/');
  });
}
