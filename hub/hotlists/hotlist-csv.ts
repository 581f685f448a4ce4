// Reading a hotlist file: CSV (RFC 4180 quoting) with a header naming the columns plate, reason,
// case_number, source, expiry (any order; "case number" and "expires_at" accepted). Pure: text in, rows
// with their line numbers out, so every refusal can name the line it came from.

export interface HotlistCsvRow {
  /** 1-based line number in the file where the row starts */
  line: number;
  plate: string;
  reason: string;
  caseNumber: string;
  source: string;
  expiry: string;
}

export type HotlistCsv = { ok: true; rows: HotlistCsvRow[] } | { ok: false; line: number; message: string };

const COLUMNS: Record<string, keyof Omit<HotlistCsvRow, 'line'>> = {
  plate: 'plate',
  reason: 'reason',
  case_number: 'caseNumber',
  casenumber: 'caseNumber',
  case: 'caseNumber',
  source: 'source',
  expiry: 'expiry',
  expires_at: 'expiry',
  expires: 'expiry',
};
const REQUIRED = ['plate', 'reason', 'caseNumber'] as const;
export const MAX_HOTLIST_ROWS = 100_000;

/** Split CSV text into records of fields, each with the line it starts on. */
function records(text: string): { line: number; fields: string[] }[] | { line: number; message: string } {
  const out: { line: number; fields: string[] }[] = [];
  let line = 1;
  let start = 1;
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let i = 0;
  const end = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0]!.trim() === '')) out.push({ line: start, fields });
    fields = [];
    field = '';
  };
  const src = text.replace(/^\uFEFF/, '');
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else {
        if (c === '\n') line += 1;
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i += 1;
      end();
      line += 1;
      start = line;
    } else field += c;
    i += 1;
  }
  if (quoted) return { line: start, message: 'a quoted field is not closed' };
  if (field !== '' || fields.length > 0) end();
  return out;
}

/**
 * Parse a hotlist CSV file.
 * @example parseHotlistCsv('plate,reason,case_number,source,expiry\n7ABC123,stolen vehicle,26-000123,ncic_stolen_vehicle,2026-03-20T00:00:00Z\n')
 *   // { ok: true, rows: [{ line: 2, plate: '7ABC123', reason: 'stolen vehicle', ... }] }
 */
export function parseHotlistCsv(text: string): HotlistCsv {
  const recs = records(text);
  if (!Array.isArray(recs)) return { ok: false, ...recs };
  const [header, ...body] = recs;
  if (!header) return { ok: false, line: 1, message: 'the file is empty (a header line is required)' };
  const map = header.fields.map(
    (h) =>
      COLUMNS[
        h
          .trim()
          .toLowerCase()
          .replace(/[\s-]+/g, '_')
      ],
  );
  const missing = REQUIRED.filter((r) => !map.includes(r));
  if (missing.length > 0) {
    return {
      ok: false,
      line: header.line,
      message: `the header must name the columns plate, reason, case_number, source, expiry (missing: ${missing.join(', ')})`,
    };
  }
  if (body.length > MAX_HOTLIST_ROWS) {
    return {
      ok: false,
      line: body[MAX_HOTLIST_ROWS]!.line,
      message: `more than ${MAX_HOTLIST_ROWS} entries`,
    };
  }
  const rows: HotlistCsvRow[] = [];
  for (const rec of body) {
    if (rec.fields.length !== header.fields.length) {
      return {
        ok: false,
        line: rec.line,
        message: `${rec.fields.length} fields where the header has ${header.fields.length}`,
      };
    }
    const row: HotlistCsvRow = {
      line: rec.line,
      plate: '',
      reason: '',
      caseNumber: '',
      source: '',
      expiry: '',
    };
    rec.fields.forEach((value, i) => {
      const key = map[i];
      if (key) row[key] = value.trim();
    });
    rows.push(row);
  }
  return { ok: true, rows };
}
