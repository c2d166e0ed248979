import { describe, expect, it } from 'vitest';
import { CsvError, csvToImportRows, parseCsv } from './csv';

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, commas and CRLF', () => {
    expect(parseCsv('a,"b, c","say ""hi"""\r\n1,2,3\n')).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['1', '2', '3'],
    ]);
  });
  it('keeps a newline inside quotes and drops blank lines', () => {
    expect(parseCsv('"x\ny",z\n\n')).toEqual([['x\ny', 'z']]);
  });
});

describe('csvToImportRows', () => {
  it('maps columns to importUsers rows', () => {
    const rows = csvToImportRows(
      '\uFEFFusername,displayName,email,groupIds\nalice,Alice Wong,alice@acme.example,g1;g2\nbob,,,\n',
    );
    expect(rows).toEqual([
      {
        username: 'alice',
        displayName: 'Alice Wong',
        email: 'alice@acme.example',
        groupIds: ['g1', 'g2'],
        orgUnitIds: [],
      },
      { username: 'bob', groupIds: [], orgUnitIds: [] },
    ]);
  });
  it('refuses unknown columns and a missing username column', () => {
    expect(() => csvToImportRows('username,mail\nalice,a@x')).toThrow(/Unknown column “mail”/);
    expect(() => csvToImportRows('email\na@x')).toThrow(CsvError);
    expect(() => csvToImportRows('username\n')).toThrow(/no users/);
  });
});
