import { parse } from 'node:querystring';

const METADATA_PARAM = /^metadata\[(.*)\]$/;

/**
 * Express's "simple" query parser (node:querystring), plus `metadata[KEY]=VALUE` parameters
 * gathered into a `metadata` object for `GET /transactions`. Only that one bracket form is
 * read: the full `qs` syntax (nested objects, arrays by index) would reach every route.
 */
export function parseQuery(query: string): Record<string, unknown> {
  const parsed: Record<string, unknown> = { ...parse(query) };
  for (const name of Object.keys(parsed)) {
    const match = METADATA_PARAM.exec(name);
    if (match === null) continue;
    const metadata = (parsed.metadata ??= Object.create(null)) as Record<string, unknown>;
    // A plain `metadata=` next to `metadata[KEY]=` is a malformed filter: keep both so validation refuses it.
    if (typeof metadata !== 'object' || Array.isArray(metadata)) continue;
    metadata[match[1]] = parsed[name];
    delete parsed[name];
  }
  return parsed;
}
