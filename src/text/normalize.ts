// Text normalisation applied identically at training and at query time.

const NON_ASCII = /[^\x00-\x7f]/;

/** NFKC (folds full-width letters, digits and punctuation, ligatures...), then optional lowercasing. */
export function normalizeText(s: string, lowercase: boolean): string {
  if (NON_ASCII.test(s)) s = s.normalize('NFKC');
  return lowercase ? s.toLowerCase() : s;
}
