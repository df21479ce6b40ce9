/**
 * The preload, run the way a sandboxed Electron preload runs: CommonJS in its own context with a
 * `require` that knows only 'electron', here a FAKE electron (test/electron/fake-electron.ts)
 * standing in for the real one, which is not installed on this machine.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import ts from 'typescript';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StudioEvent } from '../../core/common/api/contract.js';
import type { StudioBridge } from '../../electron/bridge-types.js';
import { CALL_CHANNEL, EVENT_CHANNEL, PICK_EXPORT_FOLDER_CHANNEL } from '../../electron/ipc-channels.js';
import * as fake from './fake-electron.js';

const SOURCE = fileURLToPath(new URL('../../electron/preload.cts', import.meta.url));
const compiled = ts.transpileModule(readFileSync(SOURCE, 'utf8'), {
  fileName: SOURCE,
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
}).outputText;

/** Runs the preload; returns what it required and what it put on window. */
function runPreload(): { required: string[]; bridge: StudioBridge } {
  const required: string[] = [];
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`module not found: ${name}`);
    return fake;
  };
  const module = { exports: {} };
  vm.runInNewContext(compiled, { require: sandboxRequire, module, exports: module.exports, console }, { filename: 'preload.cjs' });
  return { required, bridge: fake.contextBridge.exposed.get('studio') as StudioBridge };
}

describe('the preload', () => {
  beforeEach(() => fake.resetFake());

  it('requires only electron and exposes exactly window.studio = {call, onEvent, pickExportFolder}', () => {
    const { required } = runPreload();
    expect(required).toEqual(['electron']);
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['studio']);
    const bridge = fake.contextBridge.exposed.get('studio') as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onEvent', 'pickExportFolder']);
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
  });

  it('sends a wire call message and resolves with the result', async () => {
    const { bridge } = runPreload();
    fake.ipcRenderer.reply = async () => ({ result: { apiVersion: 1 } });
    await expect(bridge.call('app.info', {})).resolves.toEqual({ apiVersion: 1 });
    await bridge.call('datasets.list', {});
    expect(fake.ipcRenderer.invoked).toEqual([
      [CALL_CHANNEL, { type: 'call', id: 0, method: 'app.info', params: {} }],
      [CALL_CHANNEL, { type: 'call', id: 1, method: 'datasets.list', params: {} }],
    ]);
  });

  it('rejects with the error as data {code, message}', async () => {
    const { bridge } = runPreload();
    fake.ipcRenderer.reply = async () => ({ error: { code: 'not-found', message: 'no such patch' } });
    await expect(bridge.call('patch.get', { dataset: 'd', id: 'p' })).rejects.toEqual({ code: 'not-found', message: 'no such patch' });
  });

  it('asks main for the native folder dialog and resolves with the folder picked, or rejects with the refusal as data', async () => {
    const { bridge } = runPreload();
    fake.ipcRenderer.reply = async () => ({ result: '/home/me/exports' });
    await expect(bridge.pickExportFolder()).resolves.toBe('/home/me/exports');
    expect(fake.ipcRenderer.invoked).toEqual([[PICK_EXPORT_FOLDER_CHANNEL, undefined]]);
    fake.ipcRenderer.reply = async () => ({ error: { code: 'forbidden', message: 'not our page' } });
    await expect(bridge.pickExportFolder()).rejects.toEqual({ code: 'forbidden', message: 'not our page' });
  });

  it('hands events to every subscriber, without the IPC event, until unsubscribed', () => {
    const { bridge } = runPreload();
    const a: unknown[][] = [];
    const b: unknown[][] = [];
    const stopA = bridge.onEvent((...args) => a.push(args));
    bridge.onEvent((...args) => b.push(args));
    const event: StudioEvent = { type: 'dataset.index', dataset: 'd', done: 1, total: 2 };
    const ipcEvent = { sender: fake.ipcRenderer };
    fake.ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, event);
    stopA();
    fake.ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, event);
    expect(a).toEqual([[event]]);
    expect(b).toEqual([[event], [event]]);
  });
});
