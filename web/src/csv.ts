// CSV for importUsers: RFC 4180 quoting, a header row naming the columns.
import type { ImportUserRow } from './gql/graphql';

/** Splits CSV text into rows of fields (quotes, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

export const IMPORT_COLUMNS = [
  'username',
  'displayName',
  'email',
  'phone',
  'externalId',
  'password',
  'groupIds',
  'orgUnitIds',
] as const;

export class CsvError extends Error {}

/**
 * Turns CSV with a header row into importUsers rows. Unknown columns are refused (a typo would
 * otherwise drop data silently); `groupIds` and `orgUnitIds` hold ids separated by `;`.
 */
export function csvToImportRows(text: string): ImportUserRow[] {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header) throw new CsvError('The file is empty.');
  const columns = header.map((h) => h.trim());
  for (const column of columns) {
    if (!(IMPORT_COLUMNS as readonly string[]).includes(column)) {
      throw new CsvError(`Unknown column “${column}”. Columns: ${IMPORT_COLUMNS.join(', ')}.`);
    }
  }
  if (!columns.includes('username')) throw new CsvError('The header needs a username column.');
  if (!rows.length) throw new CsvError('The file has a header but no users.');
  return rows.map((fields) => {
    const row: ImportUserRow = { username: '', groupIds: [], orgUnitIds: [] };
    columns.forEach((column, i) => {
      const value = (fields[i] ?? '').trim();
      if (column === 'groupIds' || column === 'orgUnitIds') {
        row[column] = value ? value.split(';').map((s) => s.trim()).filter(Boolean) : [];
      } else if (column === 'username') {
        row.username = value;
      } else if (value) {
        row[column as 'displayName' | 'email' | 'phone' | 'externalId' | 'password'] = value;
      }
    });
    return row;
  });
}
