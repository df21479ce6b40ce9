/** The app's keyboard shortcuts, decided from a key event alone so they can be tested without a DOM. */

export type Shortcut =
  | { action: 'tab'; index: number }
  | { action: 'undo' }
  | { action: 'redo' }
  | { action: 'escape' };

export interface KeyLike {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** Whether focus is in a text field, where Ctrl+Z must stay the field's own undo. */
  inTextField: boolean;
}

export const TAB_COUNT = 4;

export function shortcutFor(e: KeyLike): Shortcut | null {
  if (e.altKey && !e.ctrlKey && !e.metaKey) {
    const n = Number(e.key);
    if (Number.isInteger(n) && n >= 1 && n <= TAB_COUNT) return { action: 'tab', index: n - 1 };
  }
  if (e.key === 'Escape') return { action: 'escape' };
  const mod = e.ctrlKey || e.metaKey;
  if (!mod || e.altKey || e.inTextField) return null;
  const key = e.key.toLowerCase();
  if (key === 'z') return e.shiftKey ? { action: 'redo' } : { action: 'undo' };
  if (key === 'y' && !e.shiftKey) return { action: 'redo' };
  return null;
}
