#!/bin/bash
# usage: candidate.sh NAME '{"scale":0.9,"clSigma":3.47}'
# Writes runs/NAME.json (laoc-v1 with these changes) and runs/NAME.toml (the laoc-0b study on it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$here/runs"
name=$1
json=$(echo "$2" | sed "s/^{/{\"name\":\"$name\",/")
npx tsx "$here/make-ff.ts" "$json" "$here/runs/$name.json"
sed -e "s#^forcefield = .*#forcefield = \"$name.json\"#" -e "s#name = \"laoc-0b\"#name = \"cal-$name\"#" \
  "$here/../examples/laoc-0b.toml" > "$here/runs/$name.toml"
echo "wrote $here/runs/$name.json and $name.toml"
