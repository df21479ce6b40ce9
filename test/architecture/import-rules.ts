import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/**
 * The import rules of docs/architecture.md, checked on the source text: what a file may import
 * follows from its folder. Pure over a map of files, so a test can feed it a violation.
 */

export interface SourceFile {
  /** Repository-relative path with forward slashes. */
  path: string;
  text: string;
}

/** One import of a file: its specifier and, for a relative one, the repository path it names. */
interface ImportOf {
  specifier: string;
  target: string | null;
}

const NODE_BUILTINS = new Set(builtinModules);
const COMMON = 'core/common/';

/** Static imports and re-exports, side-effect imports, dynamic imports and worker URLs. */
export function specifiers(text: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bnew URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
  ];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[1]));
}

function importsOf(file: SourceFile): ImportOf[] {
  return specifiers(file.text).map((specifier) => ({
    specifier,
    target: specifier.startsWith('.') ? normalize(join(dirname(file.path), specifier)).replaceAll('\\', '/') : null,
  }));
}

/** `core/<folder>/...` -> folder; null outside core/. */
function coreFolder(path: string): string | null {
  const m = /^core\/([^/]+)\//.exec(path);
  return m ? m[1] : null;
}

function isNodeOnly(specifier: string): boolean {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0]);
}

/**
 * Every broken rule, one line each:
 * - core/common imports nothing outside core/common (no package, no Node module) and uses no Node global;
 * - the renderer reaches core only through `#common/...`;
 * - a core folder imports only folders earlier in `order` (its own, and common, always);
 * - every core folder is placed in `order`, and core imports neither electron/ nor renderer/.
 */
export function importViolations(files: readonly SourceFile[], order: readonly string[]): string[] {
  const rank = new Map(order.map((folder, i) => [folder, i]));
  const problems: string[] = [];
  const unplaced = new Set<string>();
  for (const file of files) {
    const from = coreFolder(file.path);
    if (from !== null && !rank.has(from)) unplaced.add(from);
    for (const { specifier, target } of importsOf(file)) {
      const where = `${file.path} imports '${specifier}'`;
      if (file.path.startsWith(COMMON)) {
        if (target === null || !target.startsWith(COMMON)) problems.push(`${where}: core/common imports only core/common`);
      } else if (file.path.startsWith('renderer/')) {
        if (target?.startsWith('core/')) problems.push(`${where}: the renderer imports core only through #common/`);
        if (specifier.startsWith('#') && !specifier.startsWith('#common/')) problems.push(`${where}: the one alias into core is #common/`);
      } else if (from !== null) {
        if (target !== null && /^(electron|renderer)\//.test(target)) problems.push(`${where}: core imports neither electron/ nor renderer/`);
        const to = target === null ? null : coreFolder(target);
        if (to !== null && to !== from && rank.has(from) && rank.has(to) && rank.get(to)! > rank.get(from)!) {
          problems.push(`${where}: ${from}/ comes before ${to}/ in the data path`);
        }
        if (to !== null && !rank.has(to)) unplaced.add(to);
      }
    }
    if (file.path.startsWith(COMMON)) {
      for (const s of specifiers(file.text).filter(isNodeOnly)) problems.push(`${file.path} imports the Node module '${s}'`);
      for (const m of file.text.matchAll(/\b(Buffer|process)\s*\./g)) problems.push(`${file.path} uses the Node global ${m[1]}`);
    }
  }
  for (const folder of unplaced) problems.push(`core/${folder}/ is not in the import order of docs/architecture.md`);
  return problems;
}

/** The folder order, written once: the `order:` line of docs/architecture.md. */
export function importOrder(architectureDoc: string): string[] {
  const m = /^order: (.+)$/m.exec(architectureDoc);
  if (!m) throw new Error('docs/architecture.md: no `order:` line naming the core folders in import order');
  return m[1].trim().split(/\s+/);
}

/** Every .ts file under core/ and .ts/.svelte file under renderer/src/, read from `root`. */
export function sourceFiles(root: string): SourceFile[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'build' ? [] : walk(path);
      return /\.(ts|svelte)$/.test(e.name) ? [path] : [];
    });
  return [...walk('core'), ...walk('renderer/src')].map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

/**
 * Each top-level core folder's README.md is a table of what the folder holds: every .ts file and
 * subfolder in it appears in a row (`| \`name\` | ... |`), and no row names one that is gone.
 */
export function readmeProblems(root: string): string[] {
  const problems: string[] = [];
  for (const folder of readdirSync(join(root, 'core'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
    const dir = join(root, 'core', folder.name);
    const entries = readdirSync(dir, { withFileTypes: true })
      .filter((e) => (e.isDirectory() && e.name !== 'build' && e.name !== 'node_modules') || e.name.endsWith('.ts'))
      .map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
    let readme: string;
    try {
      readme = readFileSync(join(dir, 'README.md'), 'utf8');
    } catch {
      problems.push(`core/${folder.name}/README.md is missing`);
      continue;
    }
    const rows = new Set([...readme.matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map((m) => m[1]));
    for (const e of entries) if (!rows.has(e)) problems.push(`core/${folder.name}/README.md has no row for ${e}`);
    for (const r of rows) if (!entries.includes(r)) problems.push(`core/${folder.name}/README.md lists ${r}, which is not there`);
  }
  return problems;
}
