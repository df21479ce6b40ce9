/** One CSV cell per RFC 4180: quoted when it holds a quote, comma or line break; null is empty. */
export function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The rows of RFC 4180 text (quoted cells may hold commas, quotes and line breaks; CRLF or LF line
 * ends); a final line end adds no empty row. `file` names the source in errors.
 */
export function parseCsv(text: string, file: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && cell === '') {
      const start = i;
      for (i++; ; i++) {
        if (i >= text.length) throw new Error(`${file}: unterminated quoted cell starting at offset ${start}`);
        if (text[i] === '"') {
          if (text[i + 1] !== '"') break;
          cell += '"';
          i++;
        } else cell += text[i];
      }
      i++;
      if (i < text.length && !',\r\n'.includes(text[i])) throw new Error(`${file}: text after a closing quote at offset ${i}`);
    } else if (c === ',') {
      endCell();
      i++;
    } else if (c === '\r' || c === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      cell += c;
      i++;
    }
  }
  if (cell !== '' || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}
