/**
 * The job worker over Electron's utilityProcess, against a FAKE electron module
 * (test/electron/fake-electron.ts): the real binary is not installed here.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { utilityJobProcess, JOB_SERVICE_NAME } from '../../electron/utility-job-process.js';
import * as fake from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

function started() {
  const job = utilityJobProcess('/app/dist/core/jobs/job-worker.js');
  const child = fake.utilityProcess.forks[fake.utilityProcess.forks.length - 1];
  const exits: [number | null, string | null][] = [];
  job.onExit((code, signal) => exits.push([code, signal]));
  return { job, child, exits };
}

describe('a job worker in a utility process', () => {
  beforeEach(() => fake.resetFake());

  it('forks the worker entry as a named service with piped output', () => {
    const { child, job } = started();
    expect(child.modulePath).toBe('/app/dist/core/jobs/job-worker.js');
    expect(child.options.serviceName?.startsWith(JOB_SERVICE_NAME)).toBe(true);
    expect(child.options.stdio).toBe('pipe');
    expect(job.pid).toBe(4242);
  });

  it('passes messages both ways', () => {
    const { job, child } = started();
    const received: unknown[] = [];
    job.onMessage((m) => received.push(m));
    job.send({ type: 'cancel' });
    child.emit('message', { type: 'log', line: 'epoch 1' });
    expect(child.posted).toEqual([{ type: 'cancel' }]);
    expect(received).toEqual([{ type: 'log', line: 'epoch 1' }]);
  });

  it('reports a clean exit with code 0 and no reason', async () => {
    const { child, exits } = started();
    child.end(0);
    await vi.waitFor(() => expect(exits).toEqual([[0, null]]));
  });

  it('reports a crash with its code and the reason Electron gave', async () => {
    const { child, exits } = started();
    child.end(139, 'crashed');
    await vi.waitFor(() => expect(exits).toEqual([[139, 'crashed']]));
  });

  it("does not take another process's crash for its own", async () => {
    const first = started();
    const second = started();
    expect(first.child.options.serviceName).not.toBe(second.child.options.serviceName);
    second.child.end(9, 'killed');
    first.child.end(0);
    await vi.waitFor(() => expect(first.exits).toEqual([[0, null]]));
    await vi.waitFor(() => expect(second.exits).toEqual([[9, 'killed']]));
  });

  it('drops messages to a worker that has exited, and kills on request', () => {
    const { job, child } = started();
    job.kill();
    expect(child.killed).toBe(true);
    child.end(15, 'killed');
    job.send({ type: 'cancel' });
    expect(child.posted).toEqual([]);
  });

  it("forwards the worker's own output to stderr line by line, named", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    try {
      const { child } = started();
      child.stderr.write('libtensorflow: ');
      child.stderr.write('loaded\nsecond line\n');
      await vi.waitFor(() => expect(lines).toHaveLength(2));
      const name = child.options.serviceName!;
      expect(lines).toEqual([`[${name}] libtensorflow: loaded\n`, `[${name}] second line\n`]);
    } finally {
      spy.mockRestore();
    }
  });
});
