import { describe, expect, it } from 'vitest';
import { ByteLru } from '../../core/sampler/byte-lru.js';

describe('ByteLru', () => {
  it('evicts the least recently used entries once the byte budget is exceeded', () => {
    const lru = new ByteLru<string>(10);
    lru.set('a', 'A', 4);
    lru.set('b', 'B', 4);
    expect(lru.get('a')).toBe('A'); // a is now more recent than b
    lru.set('c', 'C', 4);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
    expect(lru.get('c')).toBe('C');
    expect(lru.bytes).toBe(8);
  });

  it('replaces an entry under the same key and skips values larger than the budget', () => {
    const lru = new ByteLru<number>(10);
    lru.set('a', 1, 6);
    lru.set('a', 2, 3);
    expect(lru.get('a')).toBe(2);
    expect(lru.bytes).toBe(3);
    lru.set('big', 3, 11);
    expect(lru.get('big')).toBeUndefined();
    expect(lru.get('a')).toBe(2);
  });

  it('refuses a negative budget', () => {
    expect(() => new ByteLru(-1)).toThrow(/cache size/);
  });
});
