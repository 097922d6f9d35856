/** Reads back the tables of a report written by run.ts (for the smoke test). */
export interface ParsedTable {
  /** The `## ` heading the table sits under. */
  section: string;
  headers: string[];
  rows: string[][];
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

export function parseTables(markdown: string): ParsedTable[] {
  const tables: ParsedTable[] = [];
  let section = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('## ')) section = line.slice(3).trim();
    if (!line.startsWith('|') || !lines[i + 1]?.startsWith('| ---')) continue;
    const table: ParsedTable = { section, headers: cells(line), rows: [] };
    for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++)
      table.rows.push(cells(lines[i]!));
    tables.push(table);
  }
  return tables;
}

const NUMBER = String.raw`\d[\d,]*(?:\.\d+)?×?`;
/** "1,234", "0.42×", "12.5 (10.1–13.0)", or "—" for a deliberately empty cell. */
export const MEASURED_CELL = new RegExp(`^(?:${NUMBER}(?: \\(${NUMBER}–${NUMBER}\\))?|—)$`);
