import { describe, expect, it } from 'vitest';
import { parseParentMessage, parseWorkerMessage } from '../../core/jobs/job-messages.js';
import type { JobInfo } from '../../core/common/jobs/job-spec.js';

const job: JobInfo = {
  id: 'job-20260101-120000-abcd',
  kind: 'export',
  spec: { kind: 'export', catalog: '/c', options: { run: '/r', formats: ['tfjs'], dest: '/d' } },
  state: 'running',
  runDir: null,
  createdAt: '2026-01-01T12:00:00.000Z',
  startedAt: '2026-01-01T12:00:01.000Z',
  endedAt: null,
  error: null,
  progress: null,
  result: null,
};
const progress = { step: 3, totalSteps: 10, epoch: 0, epochs: 2, loss: 1.5, lr: 0.03, imagesPerSecond: 8, etaSeconds: 7, validation: { f1_micro: 0.5 } };

describe('job messages', () => {
  it('passes well-formed messages both ways', () => {
    const start = { type: 'start', job, resume: null, runsDir: '/runs' };
    expect(parseParentMessage(start)).toBe(start);
    expect(parseParentMessage({ type: 'cancel' })).toEqual({ type: 'cancel' });
    for (const msg of [
      { type: 'started', runDir: '/runs/a' },
      { type: 'progress', progress },
      { type: 'log', line: '' },
      { type: 'done', result: { anything: [1] } },
      { type: 'failed', error: 'boom' },
    ]) {
      expect(parseWorkerMessage(msg)).toBe(msg);
    }
  });

  it('refuses malformed messages, naming the field', () => {
    expect(() => parseWorkerMessage({ type: 'progress', progress: { ...progress, loss: null } })).toThrow(/job worker: progress\.progress\.loss: must be a finite number/);
    expect(() => parseWorkerMessage({ type: 'started' })).toThrow(/started\.runDir: is missing/);
    expect(() => parseWorkerMessage({ type: 'log', line: 'x', extra: 1 })).toThrow(/log\.extra: is not a known field/);
    expect(() => parseWorkerMessage({ type: 'exploded' })).toThrow(/type must be one of started, progress, log, done, failed, got "exploded"/);
    expect(() => parseWorkerMessage('done')).toThrow(/got nothing/);
    expect(() => parseParentMessage({ type: 'start', job: { ...job, state: 'paused' }, resume: null, runsDir: '/runs' })).toThrow(/job manager: start\.job\.state: must be one of/);
    expect(() => parseParentMessage({ type: 'start', job: { ...job, spec: { ...job.spec, options: { run: '/r', dest: '/d', formats: ['x'] } } }, resume: null, runsDir: '/r' })).toThrow(
      /start\.job: invalid job spec: spec\.options\.formats\[0\]/,
    );
    expect(() => parseParentMessage({ type: 'start', job: { ...job, kind: 'pretrain' }, resume: null, runsDir: '/r' })).toThrow(/start\.job\.kind: "pretrain" but the spec is a export spec/);
  });
});
