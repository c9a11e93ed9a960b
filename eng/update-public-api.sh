#!/usr/bin/env bash
# Brings each src project's PublicAPI.Unshipped.txt in line with its code: adds the symbols
# PublicApiAnalyzers reports as undeclared (RS0016) and drops the ones it reports as gone
# (RS0017). The analyzer's messages carry each symbol in the file's own format. Every project
# under src/ with a PublicAPI.Unshipped.txt is handled (the core and the storage packages);
# a project's diagnostics are told apart by the project file MSBuild names after each one.
# The core goes first: the storage packages build on it, and a core that fails its own API
# check would stop their build before their analyzer runs.
set -euo pipefail
cd "$(dirname "$0")/.."
core=src/Scoutflo.Http.Integrations/PublicAPI.Unshipped.txt
for file in "$core" $(ls src/*/PublicAPI.Unshipped.txt | grep -vxF "$core"); do
  project=$(dirname "$file")
  csproj="$project/$(basename "$project").csproj"
  log=$(mktemp)
  dotnet build "$csproj" --no-incremental 2>&1 > "$log" || true
  # Only this project's lines: a project reference builds (and reports) its dependencies too.
  grep -F "[$(pwd)/$csproj]" "$log" > "$log.own" || true
  grep -o "RS0016: Symbol '.*' is not part of the declared public API" "$log.own" \
    | sed -E "s/^RS0016: Symbol '(.*)' is not part of the declared public API$/\1/" | sort -u > "$log.add" || true
  grep -o "RS0017: Symbol '.*' is part of the declared API" "$log.own" \
    | sed -E "s/^RS0017: Symbol '(.*)' is part of the declared API$/\1/" | sort -u > "$log.remove" || true
  { echo "#nullable enable"; { grep -v '^#nullable' "$file" | grep -vxF -f "$log.remove" || true; cat "$log.add"; } | sort -u; } > "$file.new"
  mv "$file.new" "$file"
  echo "$project: added $(wc -l < "$log.add"), removed $(wc -l < "$log.remove")"
  rm -f "$log" "$log.own" "$log.add" "$log.remove"
done
