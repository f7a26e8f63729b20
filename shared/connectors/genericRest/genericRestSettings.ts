import { z } from 'zod';
import { caCertificateSetting, timeoutMsSetting } from '../http/connectionSettings.js';
import { connectorSpec, type ConnectorSpec } from '../spec/connectorSpec.js';
import { fillTemplate, templateNames } from '../spec/urlTemplate.js';
import { genericRestSettingsExample } from './genericRestExample.js';

/** Header names that say they carry a secret: those belong in `credentials`, which are never shown. */
const secretLooking = /key|token|secret|auth|sign|session|password|cookie/i;

/** What the checks below read: they run whenever it is well formed, even if the rest of the spec is not. */
const crossChecked = z.object({
  spec: z.object({ baseUrl: z.string(), headers: z.record(z.string(), z.unknown()).optional() }),
  variables: z.record(z.string(), z.string()),
});

/**
 * A `generic-rest` connection's settings: the connector's whole spec, written by the tenant, and
 * the values of its `baseUrl` placeholders. Checked on save: every problem is listed with its path.
 */
export const genericRestSettingsSchema = z
  .strictObject({
    spec: connectorSpec,
    variables: z
      .record(z.string().regex(/^[A-Za-z_]\w{0,62}$/, 'must be a placeholder name'), z.string().max(2000))
      .default({})
      .describe("Values of the spec's `baseUrl` placeholders, e.g. `{\"region\": \"eu\"}` for `https://{region}.api.example.com/v2`."),
    timeoutMs: timeoutMsSetting,
    caCertificate: caCertificateSetting("the API's"),
  })
  .superRefine((settings, context) => {
    const missing = templateNames(settings.spec.baseUrl).filter((name) => !Object.hasOwn(settings.variables, name));
    for (const name of missing) context.addIssue({ code: 'custom', path: ['variables', name], message: `is required: spec.baseUrl uses {${name}}` });
    if (missing.length === 0) {
      const problem = baseUrlProblem(resolvedBaseUrl(settings));
      if (problem) context.addIssue({ code: 'custom', path: ['spec', 'baseUrl'], message: problem });
    }
    for (const name of Object.keys(settings.spec.headers ?? {})) {
      if (secretLooking.test(name)) {
        context.addIssue({ code: 'custom', path: ['spec', 'headers', name], message: 'looks like a credential: put it in `credentials` (auth kind `apiKey`), which are kept secret' });
      }
    }
  }, { when: (payload) => crossChecked.safeParse(payload.value).success })
  .meta({ id: 'GenericRestSettings', examples: [genericRestSettingsExample] });
export type GenericRestSettings = z.output<typeof genericRestSettingsSchema>;

export const resolvedBaseUrl = (settings: { spec: ConnectorSpec; variables: Record<string, string> }) => fillTemplate(settings.spec.baseUrl, settings.variables);

function baseUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `must be an http or https URL once filled in (got "${value.slice(0, 200)}")`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return 'must not contain credentials, a query or a fragment';
  return undefined;
}
