/**
 * Every spelling of a key/secret pair a provider's echo may carry (what the fake store's
 * `credential_echo` fault sends): raw, upper- and lower-cased, URL-encoded (encodeURIComponent and
 * form encoding), JSON-escaped, and the Basic token of the pair in both base64 alphabets (which
 * holds each value base64-encoded at a different byte alignment). Tests grep responses and logs
 * for all of them.
 */
export function echoedForms(key: string, secret: string): Array<{ form: string; text: string }> {
  const forms: Array<{ form: string; text: string }> = [];
  for (const [name, value] of [['key', key], ['secret', secret]] as const) {
    forms.push(
      { form: `${name} raw`, text: value },
      { form: `${name} upper-cased`, text: value.toUpperCase() },
      { form: `${name} lower-cased`, text: value.toLowerCase() },
      { form: `${name} encodeURIComponent`, text: encodeURIComponent(value) },
      { form: `${name} form-encoded`, text: new URLSearchParams({ v: value }).toString().slice(2) },
      { form: `${name} JSON-escaped`, text: JSON.stringify(value).slice(1, -1) },
    );
  }
  const pair = Buffer.from(`${key}:${secret}`);
  forms.push(
    { form: 'Basic token', text: pair.toString('base64').replace(/=+$/, '') },
    { form: 'Basic token, URL-safe', text: pair.toString('base64url') },
  );
  return forms;
}

/** The forms found in `text`, ignoring case (an upper-cased echo counts). */
export function formsIn(text: string, forms: Array<{ form: string; text: string }>): string[] {
  const folded = text.toLowerCase();
  return forms.filter(({ text: form }) => folded.includes(form.toLowerCase())).map(({ form }) => form);
}
