// Test helpers for the scenario builder: the form fields a page shows (what a browser would post
// back) and a small two-project scenario as form fields.

const unescapeHtml = (s: string) =>
  s
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** The successful controls of the builder form, as a browser would submit them (no button). */
export function formFields(page: string): Record<string, string> {
  const start = page.indexOf('<form method="post" action="/staff/bca"');
  const form = page.slice(start, page.indexOf('</form>', start));
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input ([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    if (!name) continue;
    if (/type="checkbox"/.test(attrs) && !/\schecked/.test(attrs)) continue;
    out[unescapeHtml(name)] = unescapeHtml(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
  }
  for (const m of form.matchAll(/<select [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const chosen = /<option value="([^"]*)" selected>/.exec(m[2]!) ?? /<option value="([^"]*)"/.exec(m[2]!);
    out[unescapeHtml(m[1]!)] = unescapeHtml(chosen?.[1] ?? '');
  }
  for (const m of form.matchAll(/<textarea [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g))
    out[unescapeHtml(m[1]!)] = unescapeHtml(m[2]!);
  return out;
}

const A = 'projects.0.alternatives.0';
const B = 'projects.1.alternatives.0';

/** Two projects under one budget: a signal retiming (travel time) and a safety fix (crashes). */
export function twoProjects(id = 'two-projects'): Record<string, string> {
  return {
    id,
    title: 'Two projects',
    base_year: '2026',
    edition: '',
    selection: 'optimal',
    'budgets.0.year': '2027',
    'budgets.0.fund': 'STBG',
    'budgets.0.amount_usd': '3,000,000',
    'projects.0.id': 'P-1',
    'projects.0.title': 'Signal retiming',
    [`${A}.id`]: 'build',
    [`${A}.costs.0.type`]: 'capital',
    [`${A}.costs.0.from`]: '2027',
    [`${A}.costs.0.amount_usd`]: '1000000',
    [`${A}.costs.0.fund`]: 'STBG',
    [`${A}.costs.1.type`]: 'om',
    [`${A}.costs.1.from`]: '2028',
    [`${A}.costs.1.to`]: '2047',
    [`${A}.costs.1.amount_usd`]: '20000',
    [`${A}.effects.0.kind`]: 'travel_time',
    [`${A}.effects.0.years.0`]: '2028',
    [`${A}.effects.0.years.1`]: '2047',
    [`${A}.effects.0.hours`]: 'person',
    [`${A}.effects.0.hours_nb`]: '400000',
    [`${A}.effects.0.hours_b`]: '385000',
    'projects.1.id': 'P-2',
    'projects.1.title': 'Intersection safety',
    [`${B}.id`]: 'build',
    [`${B}.costs.0.type`]: 'capital',
    [`${B}.costs.0.from`]: '2027',
    [`${B}.costs.0.amount_usd`]: '1500000',
    [`${B}.costs.0.fund`]: 'STBG',
    [`${B}.effects.0.kind`]: 'safety',
    [`${B}.effects.0.years.0`]: '2028',
    [`${B}.effects.0.years.1`]: '2047',
    [`${B}.effects.0.basis`]: 'crash',
    [`${B}.effects.0.counts_nb.A`]: '1',
    [`${B}.effects.0.counts_nb.B`]: '3',
    [`${B}.effects.0.counts_nb.O`]: '12',
    [`${B}.effects.0.cmf`]: '0.8',
  };
}
