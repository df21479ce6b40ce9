/**
 * A deliberately tiny unpickler: enough for what Python's pickle.dump writes for a list of str
 * (protocols 0..5, also Python 2 byte strings), nothing else. Opcodes that import or call
 * (GLOBAL, REDUCE, BUILD, ...) are refused, never executed, so a hostile file can do no harm.
 */
import { DatasetFileError } from '../common/util/file-error.js';

const MARK = Symbol('mark');
type Value = string | Value[];
type StackItem = Value | typeof MARK;

/** Names of common opcodes this reader refuses, for the error message. */
const REFUSED_NAMES: Record<number, string> = {
  0x63: 'GLOBAL',
  0x93: 'STACK_GLOBAL',
  0x52: 'REDUCE',
  0x62: 'BUILD',
  0x69: 'INST',
  0x6f: 'OBJ',
  0x81: 'NEWOBJ',
  0x92: 'NEWOBJ_EX',
  0x50: 'PERSID',
  0x51: 'BINPERSID',
  0x82: 'EXT1',
  0x83: 'EXT2',
  0x84: 'EXT4',
  0x7d: 'EMPTY_DICT',
  0x29: 'EMPTY_TUPLE',
  0x74: 'TUPLE',
  0x4b: 'BININT1',
  0x4a: 'BININT',
  0x4e: 'NONE',
};

/** True ISO-8859-1; TextDecoder's 'latin1' is windows-1252, which remaps bytes 0x80-0x9F. */
function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Python's raw-unicode-escape, as protocol 0 writes str: only \uXXXX and \UXXXXXXXX are escapes. */
function rawUnicodeEscape(bytes: Uint8Array): string {
  return latin1(bytes)
    .replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (escape: string, u: string | undefined, U: string | undefined) => {
      const cp = parseInt(u ?? U!, 16);
      // Python never writes one beyond U+10FFFF; keep such text as is for the name check to reject.
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : escape;
    });
}

/** A Python 2 str repr in quotes, as protocol 0 STRING writes it. */
function pythonStringLiteral(text: string): string | null {
  const m = /^(['"])(.*)\1$/s.exec(text);
  if (!m) return null;
  const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t' };
  let bad = false;
  const out = m[2].replace(/\\(x[0-9a-fA-F]{2}|.)/gs, (_, e: string) => {
    if (e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (simple[e] === undefined) bad = true;
    return simple[e] ?? '';
  });
  return bad ? null : out;
}

/** Reads a pickle of a list of str; `file` names the source in every error. */
export function unpickleStringList(bytes: Uint8Array, file: string): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: StackItem[] = [];
  const memo = new Map<number, Value>();
  let pos = 0;
  let opAt = 0;

  const fail = (reason: string) => new DatasetFileError(file, `${reason} at byte ${opAt} of the pickle`);
  const need = (n: number) => {
    if (!Number.isSafeInteger(n) || n < 0 || pos + n > bytes.length) throw fail('truncated pickle');
  };
  const take = (n: number): Uint8Array => {
    need(n);
    pos += n;
    return bytes.subarray(pos - n, pos);
  };
  const u8 = () => take(1)[0];
  const u32 = () => {
    need(4);
    pos += 4;
    return view.getUint32(pos - 4, true);
  };
  const u64 = () => {
    need(8);
    pos += 8;
    return Number(view.getBigUint64(pos - 8, true));
  };
  const line = (): Uint8Array => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw fail('truncated pickle (line without newline)');
    const out = bytes.subarray(pos, end);
    pos = end + 1;
    return out;
  };
  const decimalLine = (): number => {
    const text = latin1(line());
    if (!/^\d+$/.test(text)) throw fail('bad memo index (not a decimal number)');
    return Number(text);
  };
  const text = (raw: Uint8Array): string => {
    try {
      return utf8.decode(raw);
    } catch {
      throw fail('string is not valid UTF-8');
    }
  };
  const pop = (): Value => {
    const v = stack.pop();
    if (v === undefined || v === MARK) throw fail('malformed pickle (stack underflow)');
    return v;
  };
  const top = (): Value => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) throw fail('malformed pickle (stack underflow)');
    return v;
  };
  const popToMark = (): Value[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw fail('malformed pickle (no MARK)');
    const items = stack.splice(at) as StackItem[];
    return items.slice(1) as Value[];
  };
  const list = (v: Value): Value[] => {
    if (!Array.isArray(v)) throw fail('malformed pickle (APPEND to a non-list)');
    return v;
  };
  const getMemo = (i: number): Value => {
    const v = memo.get(i);
    if (v === undefined) throw fail(`malformed pickle (memo ${i} unset)`);
    return v;
  };

  for (;;) {
    opAt = pos;
    if (pos >= bytes.length) throw fail('truncated pickle (no STOP)');
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) throw fail('pickle protocol above 5');
        break;
      case 0x95: // FRAME: framing only groups opcodes; its length is not needed to read them.
        u64();
        break;
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: // LIST
        stack.push(popToMark());
        break;
      case 0x61: // APPEND
        {
          const v = pop();
          list(top()).push(v);
        }
        break;
      case 0x65: // APPENDS
        {
          const items = popToMark();
          const target = list(top());
          for (const v of items) target.push(v);
        }
        break;
      case 0x58: // BINUNICODE
        stack.push(text(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(take(u8())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(take(u64())));
        break;
      case 0x56: // UNICODE
        stack.push(rawUnicodeEscape(line()));
        break;
      case 0x55: // SHORT_BINSTRING (Python 2 str)
        stack.push(latin1(take(u8())));
        break;
      case 0x54: // BINSTRING (Python 2 str)
        stack.push(latin1(take(u32())));
        break;
      case 0x53: {
        // STRING (Python 2 str, protocol 0)
        const s = pythonStringLiteral(latin1(line()));
        if (s === null) throw fail('malformed STRING literal');
        stack.push(s);
        break;
      }
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x70: // PUT
        memo.set(decimalLine(), top());
        break;
      case 0x68: // BINGET
        stack.push(getMemo(u8()));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(getMemo(u32()));
        break;
      case 0x67: // GET
        stack.push(getMemo(decimalLine()));
        break;
      case 0x2e: {
        // STOP
        const result = pop();
        if (!Array.isArray(result)) throw fail('the pickle holds a single string, not a list of str');
        const bad = result.findIndex((v) => typeof v !== 'string');
        if (bad >= 0) throw fail(`list item ${bad} is not a str`);
        return result as string[];
      }
      default: {
        // A known opcode is named; an unknown byte is not shown (the file may be anything, and is not echoed).
        const name = REFUSED_NAMES[op];
        throw fail(name ? `unsupported pickle opcode ${name}: only a list of str is read` : 'not a pickle opcode: only a list of str is read');
      }
    }
  }
}
