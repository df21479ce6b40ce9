/**
 * Limits on JSON from outside (an HTTP body, a socket message, an IPC value): nesting deeper than
 * any document of the contract is refused before it is parsed or walked, so neither the parser
 * nor a validator can run out of stack ("Maximum call stack size exceeded" as a 500).
 */

/** Deeper than any params the contract takes (a GeoJSON polygon in a change is about 8 levels). */
export const MAX_JSON_DEPTH = 64;

/**
 * The deepest nesting of objects and arrays in JSON text, counted in one pass without recursion
 * and without parsing; stops counting once past `stopAt` (the text may be malformed: the parser
 * says so afterwards).
 */
export function jsonTextDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAt) return deepest;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** The nesting of a value (objects and arrays), walked with an explicit stack; stops past `stopAt`. */
export function valueDepth(value: unknown, stopAt = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    const depth = d + 1;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > stopAt) return deepest;
    }
    for (const item of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof item === 'object' && item !== null) stack.push([item, depth]);
    }
  }
  return deepest;
}

/** Why the JSON text is refused (too deep), or null. */
export function jsonDepthProblem(depth: number, what: string): string | null {
  return depth > MAX_JSON_DEPTH ? `${what} is nested deeper than ${MAX_JSON_DEPTH} levels` : null;
}

/** JSON.parse after the depth check; throws `fail(message)` for nesting past MAX_JSON_DEPTH or text that does not parse. */
export function parseJsonLimited(text: string, what: string, fail: (message: string) => Error): unknown {
  const problem = jsonDepthProblem(jsonTextDepth(text, MAX_JSON_DEPTH), what);
  if (problem) throw fail(problem);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw fail(`${what} is not JSON`);
  }
}
