/** Deeper than any request the protocol sends (a push is about 6 levels); deep enough for growth. */
export const MAX_JSON_DEPTH = 64;

/**
 * How deep the JSON text nests, stopping as soon as it passes `limit`: a scan of brackets outside
 * strings, before any parsing, so a 50,000-deep body costs one pass and no recursion later.
 */
export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
