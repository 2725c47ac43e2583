#!/usr/bin/env bash
# Commits what `npm pack` ships (dist/, openapi/, README.md, LICENSE, package.json) onto a branch,
# default `dist`, one commit per run on top of the previous one; the checkout and its index are
# left alone. A git install of that branch is as fast as a tarball's:
#   npm install -D github:userdouble/userdouble#dist
# because its package.json keeps no build/prepare/install script, and npm's git fetcher installs
# the devDependencies and builds only when one of those is present (as it is on the source branches,
# whose git install therefore pulls every devDependency and compiles).
# Usage: bash scripts/git-dist.sh [branch]
set -euo pipefail
cd "$(dirname "$0")/.."
branch=${1:-dist}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

npm pack --silent --pack-destination "$tmp" >/dev/null
tar -xzf "$tmp"/*.tgz -C "$tmp"
node -e '
  const fs = require("node:fs")
  const file = process.argv[1]
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"))
  // No build/prepare/install script (npm would install devDependencies and build), and none that
  // needs the sources: only `start`.
  pkg.scripts = { start: pkg.scripts.start }
  delete pkg.devDependencies
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n")
' "$tmp/package/package.json"

source_rev=$(git rev-parse HEAD)
export GIT_INDEX_FILE="$tmp/index"
git --work-tree="$tmp/package" add --all .
tree=$(git write-tree)
parent=$(git rev-parse --quiet --verify "refs/heads/$branch" || true)
commit=$(git commit-tree "$tree" ${parent:+-p "$parent"} -m "userdouble $(node -p 'require("./package.json").version') built from ${source_rev}")
git update-ref "refs/heads/$branch" "$commit"
echo "$branch: $commit (built from $source_rev)"
