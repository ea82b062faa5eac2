#!/usr/bin/python3
"""Analogy accuracy with gensim, for comparing models from different tools the same way.

usage: eval-analogy.py MODEL ANALOGIES
MODEL: an embed model directory (vocab.tsv + vectors.f32) or a word2vec file (text; binary if it ends in .bin).
Prints one JSON line: overall accuracy, per-section accuracy, questions seen / total.
(A stopgap until `embed eval` exists.)
"""
import json, os, sys, tempfile
import numpy as np
from gensim.models import KeyedVectors

model, questions = sys.argv[1], sys.argv[2]
if os.path.isdir(model):
    words = [l.rstrip('\n').split('\t')[0] for l in open(os.path.join(model, 'vocab.tsv'), encoding='utf-8') if l.strip()]
    vecs = np.fromfile(os.path.join(model, 'vectors.f32'), dtype='<f4').reshape(len(words), -1)
    kv = KeyedVectors(vecs.shape[1])
    kv.add_vectors(words, vecs)
else:
    kv = KeyedVectors.load_word2vec_format(model, binary=model.endswith('.bin'), unicode_errors='ignore')
# gensim reads questions-words files; normalise CRLF line ends first.
with open(questions, encoding='utf-8') as f:
    text = f.read().replace('\r\n', '\n')
tmp = tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False, encoding='utf-8')
tmp.write(text)
tmp.close()
score, sections = kv.evaluate_word_analogies(tmp.name, restrict_vocab=300000, case_insensitive=True)
os.unlink(tmp.name)
total = sum(1 for l in text.split('\n') if l.strip() and not l.startswith(':'))
per = {s['section']: round(len(s['correct']) / max(1, len(s['correct']) + len(s['incorrect'])), 4) for s in sections}
seen = sum(len(s['correct']) + len(s['incorrect']) for s in sections if s['section'] == 'Total accuracy')
print(json.dumps({'accuracy': round(score, 4), 'seen': seen, 'total': total, 'vocab': len(kv.index_to_key), 'sections': per}, ensure_ascii=False))
