#!/bin/sh
# fastText compatibility, both directions, with Debian's fasttext 0.9.2 (not part of npm test; the tests use
# the fixtures in test/fixtures/fasttext, written by make-fixtures.sh there):
#   1. embed trains subword models (English, minn 3 maxn 6; Chinese, minn 1 maxn 2), exports them with
#      `embed export -f fasttext-bin`, and `fasttext print-word-vectors` on that .bin must print embed's
#      vectors (`embed vector`) for in-vocabulary words and for unknown English and Chinese words, to
#      fastText's printed precision (5 significant digits); `fasttext nn` must answer.
#   2. fastText's own .bin: embed's vectors must equal print-word-vectors (the same words).
set -e
cd "$(dirname "$0")/.."
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
EMBED="node dist/cli/embed.cjs"
zcat corpora/text8-sample.txt.gz | head -c 400000 > "$T/en.txt"
zcat corpora/zhwiki-sample.txt.gz | head -c 600000 > "$T/zh.txt"
$EMBED train "$T/en.txt" --method fasttext --bucket 50000 --epochs 2 --models-dir "$T" -o en -q
$EMBED train "$T/zh.txt" --method fasttext --minn 1 --maxn 2 --bucket 50000 --epochs 2 --models-dir "$T" -o zh -q
printf 'the\nanarchism\nanarchistz\npoliticss\nqwxz\n' > "$T/en.words"
printf '中国\n北京\n中国人民\n北京市\n维基百科全书\n' > "$T/zh.words"
compare() { # model words fasttext-output
  while read -r w; do
    # embed vector (composed words: the note goes to stderr)
    printf '%s ' "$w"
    $EMBED vector "$w" --model "$1" 2>/dev/null || echo UNKNOWN
  done < "$2" > "$T/embed.out"
  python3 - "$T/embed.out" "$3" <<'PY'
import sys
a = {l.split(' ', 1)[0]: l.split()[1:] for l in open(sys.argv[1], encoding='utf8') if l.strip()}
b = {l.split(' ', 1)[0]: l.split()[1:] for l in open(sys.argv[2], encoding='utf8') if l.strip()}
worst = 0.0
for w, v in b.items():
    if a[w] == ['UNKNOWN']:
        print(f'  {w}: embed says unknown (no known n-gram); fastText prints {"zeros" if all(float(x) == 0 for x in v) else "a vector"}')
        continue
    e = max(abs(float(x) - float(y)) / max(abs(float(y)), 1e-3) for x, y in zip(a[w], v))
    worst = max(worst, e)
    print(f'  {w}: max relative difference {e:.1e}')
print('  worst', f'{worst:.1e}', 'OK' if worst < 1e-4 else 'FAIL')
PY
}
for m in en zh; do
  echo "== embed $m model -> fasttext-bin -> fasttext print-word-vectors"
  $EMBED export --model "$T/$m" -f fasttext-bin -o "$T/$m.bin"
  fasttext print-word-vectors "$T/$m.bin" < "$T/$m.words" > "$T/ft.out"
  compare "$T/$m" "$T/$m.words" "$T/ft.out"
  echo "  fasttext nn $(head -1 "$T/$m.words"): $(head -1 "$T/$m.words" | fasttext nn "$T/$m.bin" 3 2>/dev/null | tr '\n' ' ' | cut -c1-120)"
done
echo "== fastText's own .bin read by embed"
fasttext skipgram -input "$T/en.txt" -output "$T/ref" -epoch 1 -bucket 50000 -thread 2 -verbose 0
fasttext print-word-vectors "$T/ref.bin" < "$T/en.words" > "$T/ft.out"
compare "$T/ref.bin" "$T/en.words" "$T/ft.out"
