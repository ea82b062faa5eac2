#!/bin/sh
# Times `embed eval analogies` against gensim's evaluate_word_analogies on the same word2vec file:
#   bench/eval-vs-gensim.sh VECTORS.bin [QUESTIONS] [RESTRICT]
set -e
VEC=$1; Q=${2:-../shared/data/en/questions-words.txt}; R=${3:-30000}
/usr/bin/time -f "embed add: wall %e s, cpu %U+%S s" node dist/cli/embed.cjs eval analogies "$Q" -m "$VEC" --restrict-vocab "$R" > /dev/null
/usr/bin/time -f "gensim:    wall %e s, cpu %U+%S s" /usr/bin/python3 -c "
import sys, logging
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=True)
score, sections = kv.evaluate_word_analogies(sys.argv[2], restrict_vocab=int(sys.argv[3]))
print('gensim accuracy', score)
" "$VEC" "$Q" "$R" 2>&1 | grep -v -i warn
