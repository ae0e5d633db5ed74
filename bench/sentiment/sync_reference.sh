#!/usr/bin/env bash
# Brings a reference copy of the tree (REF, e.g. a copy taken before a speed change) up to date with
# the parts of the live tree that define the results but not the speed: the lexicons, the rules and
# the rule numbers (EngineParams), so that compare_results.sh compares like with like.
#   bench/sentiment/sync_reference.sh REF
set -euo pipefail
ref=$1
live=$(cd "$(dirname "$0")/../.." && pwd)
cp "$live"/config/lexicons/*.tsv "$ref/config/lexicons/"
cp "$live/daemon/sentiment/rules.cpp" "$ref/daemon/sentiment/rules.cpp"
python3 - "$live/daemon/sentiment/engine.hpp" "$ref/daemon/sentiment/engine.hpp" <<'PY'
import re, sys
block = lambda s: re.search(r"struct EngineParams \{.*?\n\};", s, re.S)
live = open(sys.argv[1]).read()
ref = open(sys.argv[2]).read()
new = ref[:block(ref).start()] + block(live).group(0) + ref[block(ref).end():]
if new != ref:
    open(sys.argv[2], "w").write(new)
PY
