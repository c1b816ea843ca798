import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The contract check behind ApiClient: every JSON answer the e2e suite receives must match
 * the response schema the service's own OpenAPI document (/docs-json) gives for that path,
 * method and status, so docs/api.md's companion document cannot drift from the code.
 */

interface Document {
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

/** Answers a failed check gives; a test fails on the first one. */
export class ContractMismatch extends Error {}

export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly routes: Route[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: Document) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: document.components ?? {} });
    this.routes = Object.keys(document.paths)
      .map((template) => ({ template, pattern: patternOf(template), params: (template.match(/\{/g) ?? []).length }))
      .sort((a, b) => a.params - b.params);
  }

  /** Throws a ContractMismatch naming the path, status and fields when `body` breaks the document. */
  check(method: string, url: string, status: number, mediaType: string, body: unknown): void {
    const path = new URL(url).pathname;
    const route = this.routes.find((r) => r.pattern.test(path));
    const where = `${method} ${path} → ${status}`;
    if (route === undefined) throw new ContractMismatch(`${where}: the path is not in /docs-json`);
    const validate = this.validatorFor(route.template, method.toLowerCase(), status, mediaType, where);
    if (validate(body)) return;
    const fields = (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}${detailOf(e.params)}`);
    throw new ContractMismatch(`${where} (${route.template}) does not match /docs-json:\n  ${fields.join('\n  ')}\nbody: ${JSON.stringify(body).slice(0, 500)}`);
  }

  private validatorFor(template: string, method: string, status: number, mediaType: string, where: string): ValidateFunction {
    const id = `${method} ${template} ${status} ${mediaType}`;
    const cached = this.compiled.get(id);
    if (cached !== undefined) return cached;
    const operation = this.document.paths[template][method];
    if (operation === undefined) throw new ContractMismatch(`${where}: the method is not in /docs-json`);
    const response = operation.responses?.[String(status)];
    if (response === undefined) throw new ContractMismatch(`${where}: status ${status} is not documented for ${template}`);
    const schema = response.content?.[mediaType]?.schema;
    if (schema === undefined) throw new ContractMismatch(`${where}: no ${mediaType} schema documented for status ${status} of ${template}`);
    const validate = this.ajv.compile(withDocumentRefs(schema));
    this.compiled.set(id, validate);
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

function detailOf(params: Record<string, unknown>): string {
  const detail = params.additionalProperty ?? params.missingProperty ?? params.allowedValues ?? params.type;
  return detail === undefined ? '' : ` (${JSON.stringify(detail)})`;
}
