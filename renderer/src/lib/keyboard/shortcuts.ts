/**
 * The app's keyboard shortcuts, decided from a key event alone so they can be tested without a DOM.
 * SHORTCUT_HELP lists them for the help in the sidebar; a new shortcut goes in both.
 */

export type Shortcut =
  | { action: 'tab'; index: number }
  | { action: 'undo' }
  | { action: 'redo' }
  | { action: 'escape' }
  /** Set the simplified label (1..10) of the selected patch(es). */
  | { action: 'label'; label: number }
  /** Walk the patch queue: +1 next, -1 previous. */
  | { action: 'step'; by: 1 | -1 };

export interface KeyLike {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** Whether focus is in a text field, where Ctrl+Z must stay the field's own undo. */
  inTextField: boolean;
  /** Whether focus is on a drop-down, whose type-ahead owns digits and letters. */
  inSelect?: boolean;
}

export const TAB_COUNT = 4;

/** J and K as in mail readers and feeds; ] and [ for keyboards where those are easier to reach. */
export const NEXT_KEYS = ['j', ']'] as const;
export const PREVIOUS_KEYS = ['k', '['] as const;

export const SHORTCUT_HELP: ReadonlyArray<{ keys: string; what: string }> = [
  { keys: '1 … 9, 0', what: 'set the label (0 is class 10) of the selected patch or patches' },
  { keys: 'J or ]', what: 'next patch in the walk (see "Walk" above the list)' },
  { keys: 'K or [', what: 'previous patch in the walk' },
  { keys: '↑ ↓ Home End PgUp PgDn', what: 'move in the patch list' },
  { keys: 'Ctrl+Z', what: 'undo the last annotation step (a bulk edit is one step)' },
  { keys: 'Ctrl+Shift+Z, Ctrl+Y', what: 'redo' },
  { keys: 'Alt+1 … Alt+4', what: 'Patch, Train, Results, Export tab' },
  { keys: 'Esc', what: 'cancel drawing, close the error' },
];

/** A single key without modifiers (Shift aside: it is how some layouts type [ and ]). */
function plain(e: KeyLike): boolean {
  return !e.altKey && !e.ctrlKey && !e.metaKey && !e.inTextField && !e.inSelect;
}

export function shortcutFor(e: KeyLike): Shortcut | null {
  if (e.altKey && !e.ctrlKey && !e.metaKey) {
    const n = Number(e.key);
    if (Number.isInteger(n) && n >= 1 && n <= TAB_COUNT) return { action: 'tab', index: n - 1 };
  }
  if (e.key === 'Escape') return { action: 'escape' };
  if (plain(e)) {
    if (/^[0-9]$/.test(e.key) && !e.shiftKey) return { action: 'label', label: e.key === '0' ? 10 : Number(e.key) };
    const key = e.key.toLowerCase();
    if ((NEXT_KEYS as readonly string[]).includes(key)) return { action: 'step', by: 1 };
    if ((PREVIOUS_KEYS as readonly string[]).includes(key)) return { action: 'step', by: -1 };
    return null;
  }
  const mod = e.ctrlKey || e.metaKey;
  if (!mod || e.altKey || e.inTextField) return null;
  const key = e.key.toLowerCase();
  if (key === 'z') return e.shiftKey ? { action: 'redo' } : { action: 'undo' };
  if (key === 'y' && !e.shiftKey) return { action: 'redo' };
  return null;
}
