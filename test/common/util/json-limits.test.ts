import { describe, expect, it } from 'vitest';
import { jsonTextDepth, MAX_JSON_DEPTH, parseJsonLimited, valueDepth } from '../../../core/common/util/json-limits.js';
import { errorData } from '../../../core/common/api/service-error.js';
import { parseCallMessage } from '../../../core/common/api/wire.js';

const fail = (m: string) => new Error(m);

describe('JSON depth limits (issue 12)', () => {
  it('counts nesting in text without parsing, ignoring brackets inside strings', () => {
    expect(jsonTextDepth('1')).toBe(0);
    expect(jsonTextDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonTextDepth('{"a":"[[[[\\"{{{"}')).toBe(1);
    expect(jsonTextDepth('['.repeat(1_000_000), 10)).toBe(11);
  });

  it('parses up to the limit and refuses deeper nesting (a million levels) without a stack overflow', () => {
    expect(parseJsonLimited(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`, 'body', fail)).toBeInstanceOf(Array);
    const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    expect(() => parseJsonLimited(deep, 'request body', fail)).toThrow(`request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    expect(() => parseJsonLimited('{"a":', 'request body', fail)).toThrow('request body is not JSON');
  });

  it('walks values with an explicit stack', () => {
    let v: unknown = 1;
    for (let i = 0; i < 100_000; i++) v = [v];
    expect(valueDepth(v, MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH + 1);
    expect(valueDepth({ a: [{}] })).toBe(3);
  });

  it('makes a deep socket or IPC message a bad-message', () => {
    const params = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    expect(() => parseCallMessage(`{"type":"call","id":1,"method":"app.info","params":${params}}`)).toThrow(/nested deeper/);
    let v: unknown = 1;
    for (let i = 0; i < 10_000; i++) v = { a: v };
    expect(() => parseCallMessage({ type: 'call', id: 1, method: 'app.info', params: v })).toThrow(/nested deeper/);
  });
});

describe('storage failures (issue 12)', () => {
  it("are 'storage' errors naming their code, whatever threw them", () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_CORRUPT', 'SQLITE_READONLY', 'ENOSPC', 'EIO', 'EROFS', 'EDQUOT']) {
      const err = Object.assign(new Error('database or disk is full'), { code });
      expect(errorData(err), code).toEqual({ code: 'storage', message: `storage failure (${code}): database or disk is full` });
    }
    expect(errorData(Object.assign(new Error('x'), { code: 'ENOENT' })).code).toBe('internal');
    expect(errorData(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT' })).code).toBe('internal');
  });
});
