/** A table of the report: header row, then rows of preformatted cells. */
export interface Table {
  caption?: string;
  headers: string[];
  rows: string[][];
}

/** One scenario's part of the report. */
export interface Section {
  title: string;
  /** Markdown paragraphs shown before the tables (what was measured, how). */
  intro: string[];
  tables: Table[];
  /** Markdown paragraphs after the tables (caveats, observations). */
  notes?: string[];
}

/** A target of the issue, and whether this run met it. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export interface ScenarioResult {
  section: Section;
  targets: TargetCheck[];
}
