#!/usr/bin/env bash
# Builds the DocC documentation of every library module (Sources/*/Documentation.docc and the
# doc comments), failing on any warning: broken symbol links, undocumented parameters, missing snippets.
# Usage: scripts/build-docs.sh [TARGET...]   (default: every target of a library product)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(swift package dump-package | python3 -c '
import json, sys
package = json.load(sys.stdin)
seen = []
for product in package["products"]:
    if "library" in product["type"]:
        seen += [t for t in product["targets"] if t not in seen]
print("\n".join(seen))')
fi
arguments=()
for target in "${targets[@]}"; do arguments+=(--target "$target"); done
swift package generate-documentation "${arguments[@]}" --warnings-as-errors
echo "documentation built for: ${targets[*]} (archives in .build/plugins/Swift-DocC/outputs)"
