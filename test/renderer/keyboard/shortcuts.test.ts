import { describe, expect, it } from 'vitest';
import { NEXT_KEYS, PREVIOUS_KEYS, SHORTCUT_HELP, shortcutFor, TAB_COUNT, type KeyLike } from '../../../renderer/src/lib/keyboard/shortcuts.js';

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

describe('annotation keys', () => {
  it('1..9 set labels 1..9 and 0 sets label 10', () => {
    for (let n = 1; n <= 9; n++) expect(shortcutFor(key(String(n)))).toEqual({ action: 'label', label: n });
    expect(shortcutFor(key('0'))).toEqual({ action: 'label', label: 10 });
  });

  it('leaves digits and letters to text fields and drop-downs, and to Ctrl/Alt/Cmd combinations', () => {
    for (const k of ['3', 'j', 'k', ']', '[']) {
      expect(shortcutFor(key(k, { inTextField: true }))).toBeNull();
      expect(shortcutFor(key(k, { inSelect: true }))).toBeNull();
      expect(shortcutFor(key(k, { ctrlKey: true }))).toBeNull();
      expect(shortcutFor(key(k, { metaKey: true }))).toBeNull();
    }
    expect(shortcutFor(key('3', { altKey: true }))).toEqual({ action: 'tab', index: 2 });
    expect(shortcutFor(key('7', { altKey: true }))).toBeNull();
    // Ctrl+Z still undoes from a drop-down: it has no undo of its own
    expect(shortcutFor(key('z', { ctrlKey: true, inSelect: true }))).toEqual({ action: 'undo' });
  });

  it('J and ] go to the next patch, K and [ to the previous, in either case', () => {
    for (const k of [...NEXT_KEYS, 'J']) expect(shortcutFor(key(k, { shiftKey: k === 'J' }))).toEqual({ action: 'step', by: 1 });
    for (const k of [...PREVIOUS_KEYS, 'K']) expect(shortcutFor(key(k))).toEqual({ action: 'step', by: -1 });
    expect(shortcutFor(key('x'))).toBeNull();
  });

  it('the help names every key the module acts on', () => {
    const help = SHORTCUT_HELP.map((h) => h.keys).join(' ');
    for (const k of ['0', '9', 'J', ']', 'K', '[', 'Ctrl+Z', 'Ctrl+Y', 'Alt+1', 'Esc']) expect(help).toContain(k);
  });
});
