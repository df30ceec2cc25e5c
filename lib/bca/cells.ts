// Reading the cells people actually type into BCA spreadsheets and CSVs: "$1,234.50",
// "(12,000)" from an accounting export, "1e6"; and naming the column or key they meant when a
// header or key is misspelt. Anything ambiguous is refused with a reason, never guessed.

/** A dollar amount, or why it is not one. Thousands separators must group digits by three. */
export function parseUsd(raw: string): { value: number } | { error: string } {
  let s = raw.trim();
  // accounting exports write negatives in parentheses: (1,234) = −1234
  const paren = /^\((.*)\)$/.exec(s);
  if (paren) s = paren[1]!.trim();
  const m = /^([-+]?)\s*\$?\s*([-+]?)\s*(.*)$/.exec(s)!;
  const sign = m[1] || m[2];
  if ((m[1] && m[2]) || (paren && sign)) return { error: `"${raw}" has two signs` };
  const negative = !!paren || sign === '-';
  s = m[3]!;
  const plain = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
  const grouped = /^\d{1,3}(,\d{3})+(\.\d*)?$/;
  if (s.includes(',') && !grouped.test(s)) {
    return {
      error: `"${raw}" is not an amount: a comma must separate thousands (1,234.50); a decimal comma (1234,50) is ambiguous`,
    };
  }
  const t = s.replaceAll(',', '');
  if (!plain.test(t)) return { error: `"${raw}" is not an amount` };
  const v = Number(t);
  if (!Number.isFinite(v)) return { error: `"${raw}" is not a finite amount` };
  return { value: negative ? -v : v };
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/** The known name a misspelt one most likely meant (edit distance ≤ 2, or a unit suffix left off). */
export function didYouMean(name: string, known: readonly string[]): string | null {
  const norm = (s: string) =>
    s
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
  const n = norm(name);
  let best: string | null = null;
  let bestD = 3;
  for (const k of known) {
    const kn = norm(k);
    if (kn === n) return k;
    if (kn.startsWith(`${n}_`)) return k; // "amount" for "amount_usd"
    const dist = distance(n, kn);
    if (dist < bestD) {
      best = k;
      bestD = dist;
    }
  }
  return best;
}

export const meant = (name: string, known: readonly string[]) => {
  const m = didYouMean(name, known);
  return m ? ` — did you mean ${m}?` : '';
};
