import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);

export interface PackageStatus {
  ok: boolean;
  version?: string;
  error?: string;
}

/** The installed version of a package, read from its package.json; undefined when it is not installed. */
export function installedVersion(name: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

/** First line of an error: native loaders throw messages with long stacks and build logs. */
export function errorSummary(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n', 1)[0] ?? message;
}

/**
 * Imports a package that may be absent or broken (the native tfjs builds are optional
 * dependencies whose install downloads libtensorflow). The name goes through a variable so
 * TypeScript does not require their typings.
 */
export async function importOptional(name: string): Promise<{ status: PackageStatus; module?: unknown }> {
  const version = installedVersion(name);
  if (version === undefined) return { status: { ok: false, error: 'not installed' } };
  try {
    const module: unknown = await import(name);
    return { status: { ok: true, version }, module };
  } catch (err) {
    return { status: { ok: false, version, error: errorSummary(err) } };
  }
}
