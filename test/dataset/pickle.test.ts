import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DatasetFileError } from '../../core/common/util/file-error.js';
import { unpickleStringList } from '../../core/dataset/pickle.js';

const PYTHON = '/usr/bin/python3';
const pythonAvailable = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import pickle'], { encoding: 'utf8' }).status === 0;

const A = 'ROIs1158_spring_s2_124_p100.tif';
const B = 'ROIs2017_winter_s2_64_p9.tif';

function bytes(...parts: (string | number[])[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
}

const u32le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];

/** pickle.dumps([A, B], protocol=2), spelt out opcode by opcode. */
const PROTOCOL_2 = bytes(
  [0x80, 2], // PROTO 2
  ']', 'q', [0], // EMPTY_LIST, BINPUT 0
  '(', // MARK
  'X', u32le(A.length), A, 'q', [1], // BINUNICODE, BINPUT 1
  'X', u32le(B.length), B, 'q', [2],
  'e', // APPENDS
  '.', // STOP
);

function refusal(data: Uint8Array, file = 'split.pkl'): DatasetFileError {
  try {
    unpickleStringList(data, file);
  } catch (err) {
    expect(err).toBeInstanceOf(DatasetFileError);
    expect((err as DatasetFileError).file).toBe(file);
    return err as DatasetFileError;
  }
  throw new Error('expected the pickle to be refused');
}

describe('unpickleStringList', () => {
  it('reads a hand-built protocol-2 pickle of two names', () => {
    expect(unpickleStringList(PROTOCOL_2, 'split.pkl')).toEqual([A, B]);
  });

  it('reads Python 2 byte strings (SHORT_BINSTRING, protocol-0 STRING) and repeated memo entries', () => {
    const py2 = bytes([0x80, 2], ']', 'q', [0], '(', 'U', [A.length], A, 'q', [1], 'h', [1], 'e', '.');
    expect(unpickleStringList(py2, 'p.pkl')).toEqual([A, A]);
    const py2p0 = bytes(`(lp0\nS'${A}'\np1\naS"${B}"\np2\nag1\na.`);
    expect(unpickleStringList(py2p0, 'p.pkl')).toEqual([A, B, A]);
  });

  it('refuses code-running opcodes without running them', () => {
    const hostile = bytes("cos\nsystem\n(S'echo owned'\ntR.");
    const err = refusal(hostile);
    expect(err.reason).toMatch(/^unsupported pickle opcode GLOBAL/);
    expect(err.message).toContain('split.pkl');
    const reduce = bytes([0x80, 4], ']', '(', [0x8c, 1], 'x', 'R', '.');
    expect(refusal(reduce).reason).toContain('REDUCE');
  });

  it('refuses every truncation of a valid pickle with a DatasetFileError', () => {
    for (let n = 0; n < PROTOCOL_2.length; n++) refusal(PROTOCOL_2.subarray(0, n));
  });

  it('refuses malformed pickles: huge lengths, a lone string, non-str items, protocol 6', () => {
    expect(refusal(bytes([0x80, 4], ']', '(', [0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0], 'e', '.')).reason).toContain('truncated');
    expect(refusal(bytes([0x80, 4, 0x8c, 1], 'x', '.')).reason).toContain('not a list');
    expect(refusal(bytes([0x80, 2], ']', '(', ']', 'e', '.')).reason).toContain('item 0 is not a str');
    expect(refusal(bytes([0x80, 6], ']', '.')).reason).toContain('protocol');
    expect(refusal(bytes([0x80, 2], 'e', '.')).reason).toContain('malformed');
    expect(refusal(bytes([0x80, 2], ']', 'h', [7], '.')).reason).toContain('memo 7');
    expect(refusal(bytes([0x80, 2], ']', '(', 'X', u32le(2), [0xc3, 0x28], 'e', '.')).reason).toContain('UTF-8');
  });

  describe.skipIf(!pythonAvailable)('reads what Python writes (skipped where /usr/bin/python3 is absent)', () => {
    // 3,000 names exercise APPENDS batches of 1,000 and memo indices above 255; the odd
    // entries exercise raw-unicode-escape in protocol 0 and a repeated string object.
    const script = `
import pickle, sys, json
names = ['ROIs1970_fall_s2_%d_p%d.tif' % (i // 100, i % 100) for i in range(3000)]
odd = '\\u0080 caf\\u00e9 \\\\ back\\nslash \\U0001F600'
s = names[0]
names += [odd, s, s]
out = {}
for p in range(6):
    out[p] = pickle.dumps(names, protocol=p).hex()
print(json.dumps({'names': names, 'pickles': out}))
`;
    const r = pythonAvailable ? spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', maxBuffer: 64 << 20 }) : null;
    const data = r && r.status === 0 ? (JSON.parse(r.stdout) as { names: string[]; pickles: Record<string, string> }) : null;

    it.each([0, 1, 2, 3, 4, 5])('protocol %i', (protocol) => {
      expect(data, r?.stderr).not.toBeNull();
      const got = unpickleStringList(Buffer.from(data!.pickles[protocol], 'hex'), `p${protocol}.pkl`);
      expect(got).toEqual(data!.names);
    });
  });
});
