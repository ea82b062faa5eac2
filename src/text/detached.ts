/**
 * A copy of `s` that does not point into a bigger string. V8 makes substrings of 13+ characters as
 * views of their parent (a whole chunk of corpus text), so a table key taken straight from a chunk
 * would keep that chunk alive: on a big corpus, one new long word per chunk would keep them all.
 * Concatenating and slicing forces a fresh flat string of the word's own length.
 */
export function detached(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
