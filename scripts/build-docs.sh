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
failed=()
for target in "${targets[@]}"; do
    if ! swift package generate-documentation --target "$target" --warnings-as-errors > ".build/docc-$target.log" 2>&1; then
        grep -E -A4 "^(error|warning)" ".build/docc-$target.log" >&2 || tail -20 ".build/docc-$target.log" >&2
        failed+=("$target")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "documentation has warnings or errors in: ${failed[*]} (full logs: .build/docc-TARGET.log)" >&2
    exit 1
fi
echo "documentation built for: ${targets[*]} (archives in .build/plugins/Swift-DocC/outputs)"
