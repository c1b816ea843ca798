import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The contract check behind ApiClient: every JSON answer the e2e suite receives must match
 * the response schema the service's own OpenAPI document (/docs-json) gives for that path,
 * method and status, so docs/api.md's companion document cannot drift from the code.
 */

export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
  components?: { schemas?: Record<string, object> };
}

interface Route {
  template: string;
  pattern: RegExp;
  /** Literal routes (`/users/me`) win over parameterised ones (`/users/{id}`). */
  params: number;
}

const DOCUMENT_ID = 'openapi';

/** A JSON answer the document does not describe: thrown out of the request, so the test fails on it. */
export class ContractMismatch extends Error {}

export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly routes: Route[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: closed(document.components ?? {}) });
    this.routes = Object.keys(document.paths)
      .map((template) => ({ template, pattern: patternOf(template), params: (template.match(/\{/g) ?? []).length }))
      .sort((a, b) => a.params - b.params);
  }

  /** Throws a ContractMismatch naming the path, status and fields when `body` breaks the document. */
  check(method: string, url: string, status: number, mediaType: string, body: unknown): void {
    const path = new URL(url).pathname;
    const route = this.routes.find((r) => r.pattern.test(path));
    const where = `${method} ${path} → ${status}`;
    const operation = route && this.document.paths[route.template][method.toLowerCase()];
    if (route === undefined || operation === undefined) {
      this.checkUnknownRoute(where, status, mediaType, body);
      return;
    }
    const validate = this.validatorFor(route.template, method.toLowerCase(), status, mediaType, where);
    this.verdict(validate, body, `${where} (${route.template})`);
  }

  /** No document can list the routes that do not exist: their answer must be a 404 problem. */
  private checkUnknownRoute(where: string, status: number, mediaType: string, body: unknown): void {
    if (status !== 404 || mediaType !== 'application/problem+json') {
      throw new ContractMismatch(`${where}: the route is not in /docs-json, and the answer is not a 404 problem`);
    }
    this.verdict(this.compiledFor('unknown route', { $ref: '#/components/schemas/ProblemDto' }), body, where);
  }

  private verdict(validate: ValidateFunction, body: unknown, where: string): void {
    if (validate(body)) return;
    const fields = (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}${detailOf(e.params)}`);
    throw new ContractMismatch(`${where} does not match /docs-json:\n  ${fields.join('\n  ')}\nbody: ${JSON.stringify(body).slice(0, 500)}`);
  }

  private validatorFor(template: string, method: string, status: number, mediaType: string, where: string): ValidateFunction {
    const response = this.document.paths[template][method].responses?.[String(status)];
    if (response === undefined) throw new ContractMismatch(`${where}: status ${status} is not documented for ${template}`);
    const schema = response.content?.[mediaType]?.schema;
    if (schema === undefined) throw new ContractMismatch(`${where}: no ${mediaType} schema documented for status ${status} of ${template}`);
    return this.compiledFor(`${method} ${template} ${status} ${mediaType}`, schema);
  }

  /** Compiled once per operation and status, on first use. */
  private compiledFor(id: string, schema: object): ValidateFunction {
    let validate = this.compiled.get(id);
    if (validate === undefined) {
      validate = this.ajv.compile(closed(withDocumentRefs(schema)));
      this.compiled.set(id, validate);
    }
    return validate;
  }
}

function patternOf(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${escaped}$`);
}

/** Local `#/components/...` references point into the document added once under DOCUMENT_ID. */
function withDocumentRefs(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${DOCUMENT_ID}#/`));
}

/**
 * An object schema that lists its properties and says nothing of others is read as closed: a
 * field the service sends but the document does not declare is drift too. Free-form objects
 * (metadata, an event's data) declare `additionalProperties` or no properties, and stay open.
 */
function closed<T>(node: T): T {
  if (Array.isArray(node)) return node.map(closed) as T;
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, closed(v)]));
  if (copy.properties !== undefined && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy as T;
}

function detailOf(params: Record<string, unknown>): string {
  const detail = params.additionalProperty ?? params.missingProperty ?? params.allowedValues ?? params.type;
  return detail === undefined ? '' : ` (${JSON.stringify(detail)})`;
}
