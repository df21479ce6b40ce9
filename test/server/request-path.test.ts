import { describe, expect, it } from 'vitest';
import { pathSegments, splitTarget } from '../../core/server/request-path.js';
import { parseRange } from '../../core/server/send-file.js';
import { tokenProblem, generateToken } from '../../core/server/auth.js';

describe('request paths', () => {
  it('splits the query off and decodes segments without folding dot-dots', () => {
    const t = splitTarget('/files/a%20b/c.tif?token=x&y=1');
    expect(t.rawPath).toBe('/files/a%20b/c.tif');
    expect(t.query.get('token')).toBe('x');
    expect(pathSegments(t.rawPath)).toEqual(['files', 'a b', 'c.tif']);
    expect(pathSegments('/')).toEqual(['']);
    expect(pathSegments('/a/')).toEqual(['a', '']);
  });

  it('refuses every way out of a folder as forbidden, and bad targets as bad-message', () => {
    for (const p of ['/a/..', '/a/./b', '/%2e%2E/x', '/a%2fb', '/a%5cb', '/a//b', '/a%00b']) {
      expect(() => pathSegments(p), p).toThrow(expect.objectContaining({ code: 'forbidden' }));
    }
    expect(() => pathSegments('/%zz')).toThrow(expect.objectContaining({ code: 'bad-message' }));
    expect(() => splitTarget('http://evil/x')).toThrow(expect.objectContaining({ code: 'bad-message' }));
    expect(() => splitTarget('*')).toThrow(expect.objectContaining({ code: 'bad-message' }));
  });
});

describe('byte ranges', () => {
  it('reads single ranges, clamps the end, and says when nothing fits', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-0', 100)).toEqual([0, 0]);
    expect(parseRange('bytes=90-200', 100)).toEqual([90, 99]);
    expect(parseRange('bytes=-200', 100)).toEqual([0, 99]);
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-4', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,3-4', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });
});

describe('tokens', () => {
  it('generates distinct 64-hex tokens and refuses short or unsafe chosen ones', () => {
    const a = generateToken();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(generateToken()).not.toBe(a);
    expect(tokenProblem(a)).toBeNull();
    expect(tokenProblem('my-own-token-0123')).toBeNull();
    for (const bad of ['', 'short', 'has space in it 123', 'semi;colon;0123456', 'x'.repeat(257)]) expect(tokenProblem(bad), bad).not.toBeNull();
  });
});
