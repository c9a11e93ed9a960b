#!/usr/bin/env bash
# Brings PublicAPI.Unshipped.txt in line with the code: adds the symbols PublicApiAnalyzers
# reports as undeclared (RS0016) and drops the ones it reports as gone (RS0017). The
# analyzer's messages carry each symbol in the file's own format.
set -euo pipefail
cd "$(dirname "$0")/.."
project=src/Scoutflo.Http.Integrations
log=$(mktemp)
dotnet build "$project" --no-incremental 2>&1 > "$log" || true
file="$project/PublicAPI.Unshipped.txt"
grep -o "RS0016: Symbol '.*' is not part of the declared public API" "$log" \
  | sed -E "s/^RS0016: Symbol '(.*)' is not part of the declared public API$/\1/" | sort -u > "$log.add" || true
grep -o "RS0017: Symbol '.*' is part of the declared API" "$log" \
  | sed -E "s/^RS0017: Symbol '(.*)' is part of the declared API$/\1/" | sort -u > "$log.remove" || true
{ echo "#nullable enable"; { grep -v '^#nullable' "$file" | grep -vxF -f "$log.remove" || true; cat "$log.add"; } | sort -u; } > "$file.new"
mv "$file.new" "$file"
echo "added $(wc -l < "$log.add"), removed $(wc -l < "$log.remove")"
rm -f "$log" "$log.add" "$log.remove"
