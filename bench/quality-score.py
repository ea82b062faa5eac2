# The one scorer of bench/quality-sizes.mjs: every tool's vectors are judged the same way.
#   python3 quality-score.py QUESTIONS WORDSIM VECTORS.bin
# prints {"analogy": %, "wordsim": Spearman rho, "pairsOov": %} as JSON.
import json
import logging
import sys

from gensim.models import KeyedVectors

logging.disable(logging.WARNING)
questions, wordsim, vectors = sys.argv[1:4]
kv = KeyedVectors.load_word2vec_format(vectors, binary=True)
analogy, _ = kv.evaluate_word_analogies(questions, restrict_vocab=30000, case_insensitive=True)
_, spearman, oov = kv.evaluate_word_pairs(wordsim, restrict_vocab=300000, case_insensitive=True)
print(json.dumps({"analogy": 100 * analogy, "wordsim": float(spearman[0]), "pairsOov": float(oov)}))
