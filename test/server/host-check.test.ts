import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { hostAccepter, hostName, isLoopbackHost, sameOrigin } from '../../core/server/host-check.js';

describe('Host header checks', () => {
  it('parses names, brackets and ports, and rejects anything else', () => {
    expect(hostName('LocalHost:8080')).toBe('localhost');
    expect(hostName('[::1]:80')).toBe('::1');
    expect(hostName('example.org.')).toBe('example.org');
    for (const bad of [undefined, '', 'a b', 'x/y', 'h:port', 'h:123456', '[::1', 'x;y']) expect(hostName(bad), String(bad)).toBeNull();
  });

  it('knows loopback hosts', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'localhost.example', '128.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('bound to one address: loopback names and that address only', () => {
    const accepts = hostAccepter('192.168.1.5');
    for (const h of ['localhost:1', '127.0.0.1', '192.168.1.5:8888']) expect(accepts(h), h).toBe(true);
    for (const h of ['192.168.1.6', hostname(), 'evil.example']) expect(accepts(h), h).toBe(false);
  });

  it('bound to every interface: also IP literals and this machine’s name, never other names', () => {
    const accepts = hostAccepter('0.0.0.0');
    for (const h of ['10.1.2.3:80', '[fe80::1]', hostname(), `${hostname()}.lab.example:8888`]) expect(accepts(h), h).toBe(true);
    for (const h of ['evil.example', `x${hostname()}`]) expect(accepts(h), h).toBe(false);
  });

  it('same origin means scheme http(s) and the exact host:port asked for', () => {
    expect(sameOrigin(undefined, 'localhost:1')).toBe(true);
    expect(sameOrigin('http://localhost:1', 'localhost:1')).toBe(true);
    expect(sameOrigin('http://localhost:2', 'localhost:1')).toBe(false);
    expect(sameOrigin('null', 'localhost:1')).toBe(false);
    expect(sameOrigin('file://', 'localhost:1')).toBe(false);
  });
});
