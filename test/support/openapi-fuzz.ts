import { randomUUID } from 'node:crypto';

/**
 * A small fuzzer over the service's own OpenAPI document: for every operation it derives
 * requests that each make one slot hostile (a path parameter, a query parameter, a body
 * field, the whole body, the media type) and keep the rest plausible, so that the hostile
 * value reaches as deep as it can. New routes are covered as soon as they are documented.
 */

export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  maxLength?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  $ref?: string;
  allOf?: Schema[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}

export interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  /** The media type and schema of the request body, if it has one. */
  body: { mediaType: string; schema: Schema } | null;
}

export interface HostileRequest {
  /** What was made hostile, for the failure message. */
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | FormData;
  /** True when any correct service must refuse it (4xx); otherwise only "no 500" is asserted. */
  mustRefuse: boolean;
}

/** A raw JSON literal to splice into a body: JSON.stringify cannot write `1.0000000000000001`. */
const RAW = '\u0001raw\u0001';

interface HostileValue {
  label: string;
  value: unknown;
  raw?: string;
  refusedFor: (schema: Schema) => boolean;
}

const always = (): boolean => true;
const never = (): boolean => false;
const isNumeric = (schema: Schema): boolean => schema.type === 'number' || schema.type === 'integer';
const isTyped = (schema: Schema): boolean => schema.type === 'string' || isNumeric(schema) || schema.type === 'boolean';

const BODY_VALUES: HostileValue[] = [
  { label: 'a NUL string', value: 'a\u0000b', refusedFor: always },
  { label: 'a NUL-only string', value: '\u0000', refusedFor: always },
  { label: 'an operator object', value: { $ne: null }, refusedFor: isTyped },
  { label: 'the wrong scalar type', value: null, refusedFor: isTyped },
  { label: 'a fraction that parses to 1', value: null, raw: '1.0000000000000001', refusedFor: always },
  { label: 'an exponent that parses to 1', value: null, raw: '10e-1', refusedFor: always },
  { label: 'a 400-digit integer', value: null, raw: '9'.repeat(400), refusedFor: always },
  { label: 'a negative integer', value: -1, refusedFor: (s) => isNumeric(s) && s.minimum !== undefined && s.minimum >= 0 },
  { label: 'a bad uuid', value: 'not-a-uuid', refusedFor: (s) => s.format === 'uuid' },
  { label: 'an 80,000-character string', value: 'x'.repeat(80_000), refusedFor: always },
  { label: 'an empty string', value: '', refusedFor: never },
];

const QUERY_VALUES: Array<{ label: string; value: string; refusedFor: (name: string, schema: Schema) => boolean }> = [
  { label: 'a NUL', value: 'a\u0000', refusedFor: always },
  { label: 'garbage', value: '!!garbage!!', refusedFor: (name, s) => name === 'cursor' || isNumeric(s) || s.enum !== undefined },
  { label: 'a fraction', value: '1.5', refusedFor: (name, s) => name === 'cursor' || isNumeric(s) || s.enum !== undefined },
  { label: 'a huge number', value: '99999999999999999999999', refusedFor: (name, s) => name === 'cursor' || isNumeric(s) || s.enum !== undefined },
  { label: 'a negative number', value: '-1', refusedFor: (name, s) => name === 'cursor' || isNumeric(s) || s.enum !== undefined },
  { label: "another list's cursor", value: Buffer.from('["no-such-list",1]').toString('base64url'), refusedFor: (name) => name === 'cursor' },
  { label: 'a cursor of wrong types', value: Buffer.from('[null,{"a":1},1e308]').toString('base64url'), refusedFor: (name) => name === 'cursor' },
  { label: 'a base64 cursor of an impossible date', value: Buffer.from('["transactions","2026-13-45 99:00:00+00","x"]').toString('base64url'), refusedFor: (name) => name === 'cursor' },
];

const PATH_VALUES = ['a\u0000b', 'not-a-uuid', '99999999999999999999999', '-1', '1.5', "1' OR '1'='1", '00000000-0000-0000-0000-000000000000'];

export function operationsOf(document: { paths: Record<string, Record<string, any>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const content = operation.requestBody?.content ?? {};
      const mediaType = Object.keys(content)[0];
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        body: mediaType === undefined ? null : { mediaType, schema: content[mediaType].schema },
      });
    }
  }
  return operations;
}

export class Fuzzer {
  constructor(
    private readonly components: Record<string, Schema>,
    /** Real ids by the path segment that names the resource (`wallets` → a wallet id), so that requests reach past the lookup. */
    private readonly knownIds: Record<string, string>,
  ) {}

  resolve(schema: Schema): Schema {
    if (schema.$ref !== undefined) return this.resolve(this.components[schema.$ref.split('/').pop() as string]);
    if (schema.allOf !== undefined) return schema.allOf.map((s) => this.resolve(s)).reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {});
    return schema;
  }

  /** A plausible value for the schema: its example or first enum value, else one of its type. */
  sample(schema: Schema): unknown {
    const s = this.resolve(schema);
    if (s.example !== undefined) return s.example;
    if (s.enum !== undefined) return s.enum[0];
    if (s.format === 'uuid') return randomUUID();
    switch (s.type) {
      case 'integer':
      case 'number':
        return Math.max(1, s.minimum ?? 1);
      case 'boolean':
        return true;
      case 'array':
        return [];
      case 'object':
        return Object.fromEntries(Object.entries(s.properties ?? {}).map(([name, p]) => [name, this.sample(p)]));
      default:
        return 'sample';
    }
  }

  requests(operation: Operation): HostileRequest[] {
    return [...this.pathRequests(operation), ...this.queryRequests(operation), ...this.bodyRequests(operation), ...this.mediaRequests(operation)];
  }

  private url(operation: Operation, pathOverride: Record<string, string> = {}, query: Record<string, string> = {}): string {
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const segments = operation.path.split('/');
      const resource = segments[segments.indexOf(`{${name}}`) - 1];
      return encodeURIComponent(pathOverride[name] ?? this.knownIds[resource] ?? randomUUID());
    });
    const search = new URLSearchParams(query).toString();
    return search === '' ? path : `${path}?${search}`;
  }

  private base(operation: Operation, label: string, mustRefuse: boolean, url: string): HostileRequest {
    return { label, method: operation.method, path: url, headers: { 'idempotency-key': randomUUID() }, mustRefuse };
  }

  /** The plausible body, as the request would carry it. */
  private plausibleBody(operation: Operation, overrides: Record<string, unknown> = {}): Pick<HostileRequest, 'body' | 'headers'> {
    if (operation.body === null) return { headers: {} };
    const fields = { ...(this.sample(operation.body.schema) as Record<string, unknown>), ...overrides };
    if (operation.body.mediaType !== 'multipart/form-data') return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) };
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) {
      if (name === 'file') form.append('file', new Blob(['recipient,amount\nnobody@example.com,1\n']), typeof value === 'string' && value !== 'sample' ? value : 'p.csv');
      else form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
    }
    return { headers: {}, body: form };
  }

  private pathRequests(operation: Operation): HostileRequest[] {
    return operation.parameters
      .filter((p) => p.in === 'path')
      .flatMap((p) =>
        PATH_VALUES.map((value) => ({
          ...this.base(operation, `path ${p.name} = ${JSON.stringify(value)}`, true, this.url(operation, { [p.name]: value })),
          ...this.withBody(operation),
        })),
      );
  }

  private queryRequests(operation: Operation): HostileRequest[] {
    const declared = operation.parameters.filter((p) => p.in === 'query');
    const requests = declared.flatMap((p) =>
      QUERY_VALUES.map((v) => ({
        ...this.base(operation, `query ${p.name} = ${v.label}`, v.refusedFor(p.name, p.schema ?? {}), this.url(operation, {}, { [p.name]: v.value })),
        ...this.withBody(operation),
      })),
    );
    // Every route refuses a NUL in the query string, declared parameter or not.
    requests.push({ ...this.base(operation, 'an undeclared query parameter with a NUL', true, this.url(operation, {}, { zzz: '\u0000' })), ...this.withBody(operation) });
    return requests;
  }

  private withBody(operation: Operation): Pick<HostileRequest, 'body' | 'headers'> & { headers: Record<string, string> } {
    const plausible = this.plausibleBody(operation);
    return { body: plausible.body, headers: { 'idempotency-key': randomUUID(), ...plausible.headers } };
  }

  private bodyRequests(operation: Operation): HostileRequest[] {
    if (operation.body === null) return [];
    const schema = this.resolve(operation.body.schema);
    const requests = Object.entries(schema.properties ?? {}).flatMap(([name, property]) =>
      BODY_VALUES.map((v) => this.fieldRequest(operation, name, this.resolve(property), v)),
    );
    if (operation.body.mediaType === 'multipart/form-data') {
      requests.push({ ...this.base(operation, 'a field named constructor', true, this.url(operation)), ...this.plausibleBody(operation, { constructor: '1' }) });
      requests.push({ ...this.base(operation, 'a file name with a NUL', true, this.url(operation)), ...this.plausibleBody(operation, { file: 'a\u0000.csv' }) });
      return requests;
    }
    const whole: Array<[string, string, boolean]> = [
      ['a null body', 'null', true],
      ['an array body', '[]', false],
      ['a string body', '"x"', false],
      ['a __proto__ key', '{"__proto__":{"role":"admin"}}', true],
      ['a constructor key', '{"constructor":{"prototype":{"role":"admin"}}}', true],
      ['an unknown field', JSON.stringify({ ...(this.sample(schema) as object), fromUserId: randomUUID() }), true],
    ];
    for (const [label, body, mustRefuse] of whole) {
      requests.push({ ...this.base(operation, label, mustRefuse, this.url(operation)), body, headers: { 'idempotency-key': randomUUID(), 'content-type': 'application/json' } });
    }
    return requests;
  }

  private fieldRequest(operation: Operation, name: string, property: Schema, hostile: HostileValue): HostileRequest {
    const wrongType = hostile.label === 'the wrong scalar type';
    const value = wrongType ? (isNumeric(property) ? '12' : 12345) : hostile.raw !== undefined ? RAW : hostile.value;
    const plausible = this.plausibleBody(operation, { [name]: value });
    if (typeof plausible.body === 'string' && hostile.raw !== undefined) plausible.body = plausible.body.replace(JSON.stringify(RAW), hostile.raw);
    const mustRefuse = operation.body?.mediaType === 'multipart/form-data' ? hostile.label.includes('NUL') : hostile.refusedFor(property);
    return { ...this.base(operation, `body ${name} = ${hostile.label}`, mustRefuse, this.url(operation)), ...plausible, headers: { 'idempotency-key': randomUUID(), ...plausible.headers } };
  }

  /** Media types: a body in an encoding or charset the service does not take is a 415 on every route that can carry one. */
  private mediaRequests(operation: Operation): HostileRequest[] {
    if (operation.method === 'GET' || operation.method === 'HEAD') return [];
    const body = '{"a":1}';
    const required = operation.body !== null && (this.resolve(operation.body.schema).required ?? []).length > 0;
    return [
      { ...this.base(operation, 'Content-Encoding x-bogus', true, this.url(operation)), body, headers: { 'idempotency-key': randomUUID(), 'content-type': 'application/json', 'content-encoding': 'x-bogus' } },
      { ...this.base(operation, 'charset latin1', true, this.url(operation)), body, headers: { 'idempotency-key': randomUUID(), 'content-type': 'application/json; charset=latin1' } },
      { ...this.base(operation, 'text/plain', required, this.url(operation)), body, headers: { 'idempotency-key': randomUUID(), 'content-type': 'text/plain' } },
    ];
  }
}
