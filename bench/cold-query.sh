#!/bin/sh
# Cold `embed similar` timings (a fresh process each run) on random native models made outside the repo:
#   bench/cold-query.sh [DIR]   (default /tmp/embed-bench; needs ~1.3 GB of disk)
set -e
DIR=${1:-/tmp/embed-bench}
[ -d "$DIR/rand1M" ] || node bench/make-random-model.mjs "$DIR/rand1M" 1000000 300
[ -d "$DIR/rand70k" ] || node bench/make-random-model.mjs "$DIR/rand70k" 70000 100
/usr/bin/time -f "node startup alone: wall %e s, cpu %U+%S s" node -e 0
for m in rand1M rand70k; do
  for i in 1 2 3; do
    /usr/bin/time -f "$m similar: wall %e s, cpu %U+%S s, max RSS %M KB" node dist/cli/embed.cjs similar king -m "$DIR/$m" -n 10 > /dev/null
  done
done
