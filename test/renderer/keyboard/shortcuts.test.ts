import { describe, expect, it } from 'vitest';
import { shortcutFor, TAB_COUNT, type KeyLike } from '../../../renderer/src/lib/keyboard/shortcuts.js';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  inTextField: false,
  ...mods,
});

describe('shortcutFor', () => {
  it('Alt+1..Alt+4 pick the tabs; other digits do nothing', () => {
    for (let n = 1; n <= TAB_COUNT; n++) expect(shortcutFor(key(String(n), { altKey: true }))).toEqual({ action: 'tab', index: n - 1 });
    expect(shortcutFor(key('5', { altKey: true }))).toBeNull();
    expect(shortcutFor(key('1'))).toBeNull();
  });

  it('Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo (Cmd on a Mac too)', () => {
    expect(shortcutFor(key('z', { ctrlKey: true }))).toEqual({ action: 'undo' });
    expect(shortcutFor(key('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ action: 'redo' });
    expect(shortcutFor(key('y', { ctrlKey: true }))).toEqual({ action: 'redo' });
    expect(shortcutFor(key('z', { metaKey: true }))).toEqual({ action: 'undo' });
    expect(shortcutFor(key('z'))).toBeNull();
  });

  it('leaves Ctrl+Z to a text field, whose own undo the user expects there', () => {
    expect(shortcutFor(key('z', { ctrlKey: true, inTextField: true }))).toBeNull();
  });

  it('Escape cancels wherever focus is', () => {
    expect(shortcutFor(key('Escape', { inTextField: true }))).toEqual({ action: 'escape' });
  });
});
