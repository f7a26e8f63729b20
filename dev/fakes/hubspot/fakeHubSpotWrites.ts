import { validationError } from './fakeHubSpotHttp.js';
import { readOnlyProperties, writableProperties, type HubSpotObjectType } from './fakeHubSpotStore.js';

interface PropertyProblem {
  isValid: false;
  message: string;
  error: string;
  name: string;
}

/**
 * The `properties` of a create or update body, values as strings. Any bad property fails the
 * whole write with HubSpot's 400: message "Property values were not valid: <JSON of the
 * problems>" (the text seen from HubSpot), and the same problems in `errors` (that field's shape
 * is unverified).
 */
export function writeProperties(type: HubSpotObjectType, body: unknown): Record<string, string> {
  const properties = typeof body === 'object' && body !== null ? (body as { properties?: unknown }).properties : undefined;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    throw validationError('Invalid input JSON: Cannot build SimplePublicObjectInput, some of required attributes are not set [properties]');
  }
  const problems: PropertyProblem[] = [];
  const clean: Record<string, string> = {};
  const problem = (name: string, error: string, message: string) => problems.push({ isValid: false, message, error, name });
  for (const [name, raw] of Object.entries(properties as Record<string, unknown>)) {
    const value = raw === null || raw === undefined ? '' : String(raw);
    if (readOnlyProperties(type).includes(name)) problem(name, 'READ_ONLY_VALUE', `"${name}" is a read only property; its value cannot be set.`);
    else if (!writableProperties[type].includes(name)) problem(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
    else if (name === 'email' && value !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) problem(name, 'INVALID_EMAIL', `Email address ${value} is invalid`);
    else if (name === 'amount' && value !== '' && !Number.isFinite(Number(value))) problem(name, 'INVALID_DECIMAL', `${value} was not a valid number.`);
    else clean[name] = value;
  }
  if (problems.length > 0) {
    throw validationError(`Property values were not valid: ${JSON.stringify(problems)}`, {
      errors: problems.map((entry) => ({ message: entry.message, code: entry.error, context: { propertyName: [entry.name] } })),
    });
  }
  return clean;
}
