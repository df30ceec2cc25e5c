// A small JSON Schema validator for the tests (no validator package is installed): the keywords
// the DCAT-US draft-04 schemas and zod-to-openapi's OpenAPI 3.1 output use. Unknown keywords are
// ignored, as the specification says; errors carry the instance path.
type Schema = Record<string, unknown> | boolean;

export interface SchemaSet {
  /** Other documents by the name a $ref uses (e.g. "dataset-non-federal.json"). */
  docs?: Record<string, Schema>;
}

function typeOf(v: unknown) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function resolvePointer(root: Schema, pointer: string): Schema {
  let cur: unknown = root;
  for (const part of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    cur = (cur as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
    if (cur === undefined) throw new Error(`unresolvable $ref ${pointer}`);
  }
  return cur as Schema;
}

export function validate(schema: Schema, value: unknown, set: SchemaSet = {}): string[] {
  const errors: string[] = [];
  const walk = (s: Schema, v: unknown, path: string, root: Schema) => {
    if (s === true) return;
    if (s === false) {
      errors.push(`${path}: not allowed`);
      return;
    }
    if (typeof s.$ref === 'string') {
      const ref = s.$ref;
      if (ref.startsWith('#')) walk(resolvePointer(root, ref), v, path, root);
      else {
        const [doc, frag] = ref.split('#') as [string, string | undefined];
        const other = set.docs?.[doc];
        if (!other) throw new Error(`no document for $ref ${ref}`);
        walk(frag ? resolvePointer(other, `#${frag}`) : other, v, path, other);
      }
      return;
    }
    const t = typeOf(v);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      const ok = types.some((x) => x === t || (x === 'number' && t === 'integer'));
      if (!ok) {
        errors.push(`${path}: expected ${types.join('|')}, got ${t}`);
        return;
      }
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v)))
      errors.push(`${path}: ${JSON.stringify(v)} not in ${JSON.stringify(s.enum)}`);
    if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(v))
      errors.push(`${path}: must be ${JSON.stringify(s.const)}`);
    if (t === 'string') {
      const str = v as string;
      if (typeof s.minLength === 'number' && [...str].length < s.minLength)
        errors.push(`${path}: shorter than ${s.minLength}`);
      if (typeof s.maxLength === 'number' && [...str].length > s.maxLength)
        errors.push(`${path}: longer than ${s.maxLength}`);
      if (typeof s.pattern === 'string' && !new RegExp(s.pattern).test(str))
        errors.push(`${path}: ${JSON.stringify(str)} does not match ${s.pattern}`);
      if (s.format === 'uri' && !/^[a-z][a-z0-9+.-]*:/i.test(str)) errors.push(`${path}: not a URI: ${str}`);
    }
    if (t === 'number' || t === 'integer') {
      const n = v as number;
      if (typeof s.minimum === 'number' && n < s.minimum) errors.push(`${path}: below ${s.minimum}`);
      if (typeof s.maximum === 'number' && n > s.maximum) errors.push(`${path}: above ${s.maximum}`);
    }
    if (t === 'array') {
      const arr = v as unknown[];
      if (typeof s.minItems === 'number' && arr.length < s.minItems)
        errors.push(`${path}: fewer than ${s.minItems} items`);
      if (typeof s.maxItems === 'number' && arr.length > s.maxItems)
        errors.push(`${path}: more than ${s.maxItems} items`);
      if (s.uniqueItems === true && new Set(arr.map((x) => JSON.stringify(x))).size !== arr.length)
        errors.push(`${path}: items not unique`);
      if (s.items && typeof s.items === 'object' && !Array.isArray(s.items))
        for (const [i, x] of arr.entries()) walk(s.items as Schema, x, `${path}[${i}]`, root);
    }
    if (t === 'object') {
      const obj = v as Record<string, unknown>;
      for (const r of (s.required as string[] | undefined) ?? [])
        if (!(r in obj)) errors.push(`${path}: missing required ${r}`);
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const [k, x] of Object.entries(obj)) {
        if (k in props) walk(props[k]!, x, `${path}.${k}`, root);
        else if (s.additionalProperties !== undefined && s.additionalProperties !== true)
          walk(s.additionalProperties as Schema, x, `${path}.${k}`, root);
      }
      for (const [k, dep] of Object.entries((s.dependencies ?? {}) as Record<string, Schema | string[]>)) {
        if (!(k in obj)) continue;
        if (Array.isArray(dep)) {
          for (const d of dep) if (!(d in obj)) errors.push(`${path}: ${k} needs ${d}`);
        } else walk(dep, obj, path, root);
      }
    }
    const sub = (list: Schema[]) =>
      list.map((x) => {
        const before = errors.length;
        walk(x, v, path, root);
        return errors.splice(before);
      });
    if (Array.isArray(s.allOf)) for (const x of s.allOf as Schema[]) walk(x, v, path, root);
    if (Array.isArray(s.anyOf)) {
      const r = sub(s.anyOf as Schema[]);
      if (!r.some((e) => e.length === 0))
        errors.push(`${path}: matches none of anyOf (${r.map((e) => e[0]).join(' / ')})`);
    }
    if (Array.isArray(s.oneOf)) {
      const r = sub(s.oneOf as Schema[]);
      if (r.filter((e) => e.length === 0).length !== 1)
        errors.push(`${path}: must match exactly one of oneOf`);
    }
  };
  walk(schema, value, '$', schema);
  return errors;
}
