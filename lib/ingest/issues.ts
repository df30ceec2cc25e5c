// Problems are data (STYLE.md §7): every issue names the file, line and column, says what is
// wrong and what to do. Validation collects them all and the caller decides once.
export type Severity = 'error' | 'warning' | 'info';

export interface Issue {
  code: string;
  severity: Severity;
  dataset?: string;
  file?: string;
  line?: number;
  column?: string;
  message: string;
  /** What the person fixing the file should do. */
  fix?: string;
  /** The offending value or raw line, shortened. */
  value?: string;
  /** How many rows this issue stands for, when one entry summarises many. */
  count?: number;
}

export class IssueCollector {
  readonly issues: Issue[] = [];
  constructor(readonly dataset?: string) {}

  add(issue: Issue) {
    this.issues.push({ dataset: this.dataset, ...issue, value: issue.value?.slice(0, 200) });
  }
  error(i: Omit<Issue, 'severity'>) {
    this.add({ ...i, severity: 'error' });
  }
  warn(i: Omit<Issue, 'severity'>) {
    this.add({ ...i, severity: 'warning' });
  }
  info(i: Omit<Issue, 'severity'>) {
    this.add({ ...i, severity: 'info' });
  }
  count(severity: Severity) {
    return this.issues.filter((i) => i.severity === severity).length;
  }
  get hasErrors() {
    return this.issues.some((i) => i.severity === 'error');
  }
}

export function formatIssue(i: Issue) {
  const where = [i.file, i.line !== undefined ? `line ${i.line}` : '', i.column ? `column ${i.column}` : '']
    .filter(Boolean)
    .join(', ');
  const n = i.count && i.count > 1 ? ` (${i.count} rows)` : '';
  return `${i.severity.toUpperCase()} ${i.code}${where ? ` [${where}]` : ''}: ${i.message}${n}${i.fix ? ` — ${i.fix}` : ''}`;
}

/** Thrown when an ingest is refused; carries every issue found, not just the first. */
export class IngestRejected extends Error {
  constructor(
    readonly dataset: string,
    readonly issues: Issue[],
    readonly reportKey?: string,
  ) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(
      `${dataset}: input rejected with ${errors.length} error(s); nothing was published.\n` +
        errors.slice(0, 20).map(formatIssue).join('\n') +
        (errors.length > 20 ? `\n… and ${errors.length - 20} more (see the full report)` : ''),
    );
  }
}
