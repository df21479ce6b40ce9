import { describe, expect, it } from 'vitest';
import { resolveToken, socketUrl, TOKEN_KEY } from '../../../renderer/src/lib/api/token.js';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

describe('resolveToken', () => {
  it('takes the token from the URL and remembers it for a reload without one', () => {
    const storage = memoryStorage();
    expect(resolveToken('?token=abc123&x=1', storage)).toBe('abc123');
    expect(storage.data.get(TOKEN_KEY)).toBe('abc123');
    expect(resolveToken('', storage)).toBe('abc123');
  });

  it('prefers a new URL token over the remembered one', () => {
    const storage = memoryStorage({ [TOKEN_KEY]: 'old' });
    expect(resolveToken('?token=new', storage)).toBe('new');
    expect(resolveToken('?other=1', storage)).toBe('new');
  });

  it('is null when neither has one', () => {
    expect(resolveToken('', memoryStorage())).toBeNull();
  });
});

describe('socketUrl', () => {
  it('puts /api/ws next to the page, ws for http and wss for https, with no token in it', () => {
    expect(socketUrl('http://127.0.0.1:8765/?token=zz')).toBe('ws://127.0.0.1:8765/api/ws');
    expect(socketUrl('https://host.example/studio/index.html#token=x')).toBe('wss://host.example/studio/api/ws');
    expect(socketUrl('http://localhost:1/')).toBe('ws://localhost:1/api/ws');
  });
});

describe('the token in the fragment', () => {
  it('is read from #token= (preferred over ?token=) and remembered', () => {
    const storage = memoryStorage();
    expect(resolveToken('?token=old', storage, '#token=frag')).toBe('frag');
    expect(storage.data.get(TOKEN_KEY)).toBe('frag');
    expect(resolveToken('', storage, '')).toBe('frag');
  });
});
