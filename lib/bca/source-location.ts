// Where a part of a scenario was written, so a problem found while evaluating it (a blank cost, a
// value the edition lacks, a strategy without a default) names the line of the YAML/JSON text or
// the sheet and row of the workbook, as schema problems do (STYLE.md §7: file, line, column).
import type { Issue } from '../ingest/issues';
import { pathLabel } from './scenario-keys';

/** A path's 1-based line (YAML/JSON) or sheet row (Excel: `sheet` set, `line` = row number). */
export interface SourceLocation {
  line: number;
  sheet?: string;
}

/** The location of a scenario path (`['projects', 0, 'costs', 1]`), when it can be found. */
export type Locate = (path: (string | number)[]) => SourceLocation | undefined;

/** A part of one scenario file: its path, and how to find its line. */
export interface Place {
  file: string;
  path: (string | number)[];
  locate?: Locate;
}

export const placeIn = (file: string, locate?: Locate): Place => ({ file, path: [], locate });

export const within = (p: Place, ...keys: (string | number)[]): Place => ({
  ...p,
  path: [...p.path, ...keys],
});

/**
 * The issue fields for a problem at `p`: the file with the path (`t.yaml: projects[1].costs[0]`,
 * as these issues always named it), the line (or sheet row), and for a workbook the sheet and row
 * in front of the message (Excel users look for those, not for a path). The path stays out of
 * `column`: the staff builder links an issue with a column to that form field, and one without
 * to the project its message names ("project <id>: …"), which is where these belong.
 */
export function issueAt(p: Place, message: string): Pick<Issue, 'file' | 'line' | 'message'> {
  const at = p.locate?.(p.path);
  return {
    file: p.path.length ? `${p.file}: ${pathLabel(p.path)}` : p.file,
    line: at?.line,
    message: at?.sheet ? `sheet ${at.sheet}, row ${at.line}: ${message}` : message,
  };
}
