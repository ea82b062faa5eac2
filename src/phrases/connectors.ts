// Connector words (gensim's ENGLISH_CONNECTOR_WORDS): articles, prepositions and conjunctions that may
// sit inside a phrase (bank_of_america, lord_of_the_rings) but never start or end one.
export const ENGLISH_CONNECTOR_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'the',
  'for',
  'of',
  'with',
  'without',
  'at',
  'from',
  'to',
  'in',
  'on',
  'by',
  'and',
  'or',
]);
