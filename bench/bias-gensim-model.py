#!/usr/bin/python3
"""Trains the 'imported vector file' of the WEAT table in the README: gensim 4 word2vec with embed's
defaults (skip-gram, negative 5, dim 100, window 5, sample 1e-3, min-count 5, 5 epochs) on
enwiki-text8like, saved as a word2vec binary file that embed reads with -m (or imports).

    xz -dc ../shared/data/en/enwiki-text8like-100M.txt.xz | tr ' ' '\n' | grep . | paste -d' ' $(printf -- '- %.0s' $(seq 1000)) > /tmp/enwiki-lines.txt
    /usr/bin/python3 bench/bias-gensim-model.py /tmp/enwiki-lines.txt /tmp/bias-models/gensim-enwiki.bin

The corpus must be re-wrapped to 1,000 words a line: gensim's corpus_file reader keeps only the first
10,000 words of a line, so the one-line file trains on almost nothing (every cosine ~0.998).
"""
import os, sys, time
from gensim.models import Word2Vec

src, out = sys.argv[1], sys.argv[2]
t = time.time()
m = Word2Vec(corpus_file=src, sg=1, vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, epochs=5, workers=2, seed=1)
m.wv.save_word2vec_format(out, binary=True)
print(f'{len(m.wv)} words, {time.time() - t:.0f} s, load {os.getloadavg()}')
