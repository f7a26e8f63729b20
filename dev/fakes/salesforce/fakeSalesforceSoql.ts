import { SalesforceError } from './fakeSalesforceHttp.js';
import { canonicalField, isSObjectType, parseSalesforceDate, type SObjectType } from './fakeSalesforceSchema.js';

export interface SoqlQuery {
  type: SObjectType;
  /** Canonical field names, in the order selected. */
  fields: string[];
  /** Epoch ms: keep `SystemModstamp > afterMs`. */
  afterMs?: number;
  /** Epoch ms: keep `SystemModstamp <= untilMs`. */
  untilMs?: number;
  limit?: number;
}

const grammar = 'SELECT <fields> FROM <sObject> [WHERE SystemModstamp > <datetime> [AND SystemModstamp <= <datetime>]] ORDER BY SystemModstamp, Id [LIMIT n]';
const statement = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?\s+ORDER\s+BY\s+(.+?)(?:\s+LIMIT\s+(\d+))?\s*$/is;
const where = /^SystemModstamp\s*>\s*(\S+?)(?:\s+AND\s+SystemModstamp\s*<=\s*(\S+?))?$/is;
const orderBy = /^SystemModstamp(?:\s+ASC)?\s*,\s*Id(?:\s+ASC)?$/is;

/**
 * Parses the one SOQL shape the connector sends for incremental reads. Other SOQL is refused with
 * MALFORMED_QUERY naming the grammar (a real org would run it: the fake does not). Unknown
 * objects and fields get Salesforce's INVALID_TYPE / INVALID_FIELD, whose messages quote the
 * query with a caret under the offending token.
 */
export function parseSoql(soql: string): SoqlQuery {
  const parts = statement.exec(soql);
  if (!parts) throw malformed(`the fake Salesforce parses only ${grammar}`);
  const [, fieldList = '', typeName = '', condition, order = '', limit] = parts;
  if (!isSObjectType(typeName)) {
    throw new SalesforceError(
      400,
      'INVALID_TYPE',
      located(soql, typeName, `sObject type '${typeName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`),
    );
  }
  const type = typeName;
  const fields = fieldList.split(',').map((name) => name.trim());
  for (const name of fields) {
    if (!/^\w+$/.test(name)) throw malformed(`unsupported select item '${name}'; the fake parses only ${grammar}`);
    if (canonicalField(type, name) === undefined) {
      throw new SalesforceError(
        400,
        'INVALID_FIELD',
        located(soql, name, `No such column '${name}' on entity '${type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`),
      );
    }
  }
  if (!orderBy.test(order.trim())) throw malformed(`the fake parses only ORDER BY SystemModstamp, Id`);
  const query: SoqlQuery = { type, fields: fields.map((name) => canonicalField(type, name) as string) };
  if (condition !== undefined) {
    const bounds = where.exec(condition.trim());
    if (!bounds) throw malformed(`unsupported WHERE clause; the fake parses only ${grammar}`);
    query.afterMs = datetimeLiteral(soql, bounds[1] as string);
    if (bounds[2] !== undefined) query.untilMs = datetimeLiteral(soql, bounds[2]);
  }
  if (limit !== undefined) query.limit = Number(limit);
  return query;
}

/** SOQL datetime literals are unquoted; a quoted one is INVALID_FIELD, with the real message. */
function datetimeLiteral(soql: string, literal: string): number {
  if (/^['"]/.test(literal)) {
    throw new SalesforceError(400, 'INVALID_FIELD', located(soql, literal, "value of filter criterion for field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes"));
  }
  const ms = parseSalesforceDate(literal);
  if (Number.isNaN(ms)) throw malformed(`invalid datetime literal '${literal}': use YYYY-MM-DDThh:mm:ssZ or an offset`);
  return ms;
}

function malformed(message: string): SalesforceError {
  return new SalesforceError(400, 'MALFORMED_QUERY', message);
}

/** Salesforce's query error layout: the query, a caret under the token, then `ERROR at Row:1:Column:N`. */
function located(soql: string, token: string, message: string): string {
  const line = soql.replace(/\s+/g, ' ').trim();
  const index = Math.max(line.indexOf(token), 0);
  return `\n${line}\n${' '.repeat(index)}^\nERROR at Row:1:Column:${index + 1}\n${message}`;
}
