#!/bin/sh
# Compile the generated TypeScript SDK (sdk/nodejs) with `tsc`, against the npm packages it
# declares: typescript, @types/node and @pulumi/pulumi at the versions pinned below. They are
# installed once into a cache directory keyed by those versions, outside the repository
# (`npm ci`-like: a fresh install into a temporary name, then one rename), so a second run only
# compiles. The compile itself happens in a temporary copy of sdk/nodejs, which stays clean.
#
#   tools/check-ts-sdk.sh        (`make sdk-ts-check`)
#
# Environment: CARTESIA_PULUMI_CACHE moves the cache root (default $XDG_CACHE_HOME or ~/.cache,
# /cartesia-pulumi), as for tools/build-pulumi.sh.
set -eu

# typescript: the newest release the generated package.json accepts (^4.7.0).
TYPESCRIPT_VERSION=4.9.5
TYPES_NODE_VERSION=20.9.5
PULUMI_NODE_VERSION=3.276.0

here=$(cd "$(dirname "$0")" && pwd)
sdk="$(dirname "$here")/sdk/nodejs"
cache_root=${CARTESIA_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cartesia-pulumi}
deps="$cache_root/ts-sdk-check-ts$TYPESCRIPT_VERSION-node$TYPES_NODE_VERSION-pulumi$PULUMI_NODE_VERSION"

if ! command -v npm >/dev/null 2>&1; then
    echo "check-ts-sdk: no npm on PATH; install Node.js 18 or newer to compile the TypeScript SDK." >&2
    exit 1
fi

if [ ! -x "$deps/node_modules/.bin/tsc" ]; then
    echo "check-ts-sdk: installing typescript@$TYPESCRIPT_VERSION, @types/node@$TYPES_NODE_VERSION, @pulumi/pulumi@$PULUMI_NODE_VERSION into $deps" >&2
    mkdir -p "$cache_root"
    tmp="$deps.tmp.$$"
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$tmp"
    printf '{"name": "cartesia-ts-sdk-check", "private": true}\n' >"$tmp/package.json"
    (cd "$tmp" && npm install --silent --no-audit --no-fund --save-exact \
        "typescript@$TYPESCRIPT_VERSION" "@types/node@$TYPES_NODE_VERSION" \
        "@pulumi/pulumi@$PULUMI_NODE_VERSION")
    rm -rf "$deps"
    mv "$tmp" "$deps"   # atomic: an interrupted install never looks cached
    trap - EXIT
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$sdk/." "$work/"
ln -s "$deps/node_modules" "$work/node_modules"
(cd "$work" && ./node_modules/.bin/tsc -p tsconfig.json)
if [ ! -f "$work/bin/index.js" ] || [ ! -f "$work/bin/index.d.ts" ]; then
    echo "check-ts-sdk: tsc succeeded but wrote no bin/index.js and bin/index.d.ts; check sdk/nodejs/tsconfig.json." >&2
    exit 1
fi
echo "sdk/nodejs compiles with tsc $TYPESCRIPT_VERSION ($(find "$work/bin" -name '*.js' | wc -l) files)"
