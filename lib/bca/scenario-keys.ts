// What the scenario schema alone does not say: keys it does not know (zod drops them without a
// word, so a misspelt `dolar_year` would silently become the default dollar year) and the line of
// the YAML/JSON text a problem is on.
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { didYouMean } from './cells';

export interface UnknownKey {
  path: (string | number)[];
  key: string;
  suggestion: string | null;
}

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fits(schema: z.ZodType, value: unknown): boolean {
  const s = unwrap(schema);
  if (isPlain(value)) return s instanceof z.ZodObject || s instanceof z.ZodRecord;
  if (Array.isArray(value)) return s instanceof z.ZodArray || s instanceof z.ZodTuple;
  return false;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault)
    s = s.unwrap() as z.ZodType;
  return s;
}

/** Every key in `value` that `schema` has no place for, with the known key it most resembles. */
export function unknownKeys(schema: z.ZodType, value: unknown, path: (string | number)[] = []): UnknownKey[] {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject && isPlain(value)) {
    const shape = s.shape as Record<string, z.ZodType>;
    const known = Object.keys(shape);
    return Object.entries(value).flatMap(([k, v]) => {
      const child = shape[k];
      return child
        ? unknownKeys(child, v, [...path, k])
        : [{ path, key: k, suggestion: didYouMean(k, known) }];
    });
  }
  if (s instanceof z.ZodArray && Array.isArray(value))
    return value.flatMap((v, i) => unknownKeys(s.element as z.ZodType, v, [...path, i]));
  if (s instanceof z.ZodTuple && Array.isArray(value)) {
    const items = s.def.items as z.ZodType[];
    return value.flatMap((v, i) => (items[i] ? unknownKeys(items[i], v, [...path, i]) : []));
  }
  if (s instanceof z.ZodRecord && isPlain(value))
    return Object.entries(value).flatMap(([k, v]) =>
      unknownKeys(s.def.valueType as z.ZodType, v, [...path, k]),
    );
  if (s instanceof z.ZodDiscriminatedUnion && isPlain(value)) {
    const tag = value[s.def.discriminator];
    const option = (s.options as z.ZodObject[]).find((o) =>
      (o.shape[s.def.discriminator] as z.ZodLiteral | undefined)?.values.has(tag as string),
    );
    // an unknown discriminator is the schema's error to report
    return option ? unknownKeys(option, value, path) : [];
  }
  if (s instanceof z.ZodUnion) {
    // the option the value fits best (fewest unknown keys) is the one the writer meant
    const fitting = (s.options as z.ZodType[]).filter((o) => fits(o, value));
    let best: UnknownKey[] | null = null;
    for (const o of fitting) {
      const u = unknownKeys(o, value, path);
      if (!best || u.length < best.length) best = u;
    }
    return best ?? [];
  }
  return [];
}

/** `projects[0].costs[1]` for an issue column; `(top level)` for the root. */
export const pathLabel = (path: (string | number)[]) =>
  path.reduce<string>((a, k) => (typeof k === 'number' ? `${a}[${k}]` : a ? `${a}.${k}` : k), '') ||
  '(top level)';

/**
 * The 1-based line of `path` in a YAML or JSON text: the deepest part of the path that exists
 * (a missing key points at its parent). Undefined when the text does not parse.
 */
export function lineFinder(text: string): (path: (string | number)[]) => number | undefined {
  const lc = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter: lc });
  } catch {
    return () => undefined;
  }
  return (path) => {
    let node: unknown = doc.contents;
    let pos = (node as { range?: [number] } | null)?.range?.[0];
    for (const k of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(k));
        if (!pair) break;
        pos = (pair.key as { range?: [number] }).range?.[0] ?? pos;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(k)];
        if (!item) break;
        pos = (item as { range?: [number] }).range?.[0] ?? pos;
        node = item;
      } else break;
    }
    return pos === undefined ? undefined : lc.linePos(pos).line;
  };
}
