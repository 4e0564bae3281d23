#!/bin/sh
# Compile the generated TypeScript SDK (sdk/nodejs) with `tsc`, against the npm packages it
# declares: typescript, @types/node and @pulumi/pulumi at the versions pinned below. They are
# installed once into a cache directory keyed by those versions, outside the repository
# (a fresh `npm install` into a temporary name, then one rename), so a second run only
# compiles. The compile itself happens in a temporary copy of sdk/nodejs, which stays clean; then a
# small program that uses the compiled package is type-checked against it.
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
    # Atomic: an interrupted install never looks cached. If a concurrent run renamed its copy
    # first, `mv -T` refuses to replace it and this copy is dropped.
    mv -T "$tmp" "$deps" 2>/dev/null || rm -rf "$tmp"
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

# A program that uses the compiled package the way users do (`import * as cartesia from
# "@cartesia-pulumi/cartesia"`, typed args, outputs passed on), type-checked against its .d.ts.
# Pulumi's own SDK builds publish bin/ with the package.json copied in; so does this.
cp "$work/package.json" "$work/bin/package.json"
program="$work/program"
mkdir -p "$program/node_modules/@cartesia-pulumi"
ln -s "$work/bin" "$program/node_modules/@cartesia-pulumi/cartesia"
for dep in "$deps/node_modules/"*; do
    case "$(basename "$dep")" in
        @cartesia-pulumi) ;;
        *) ln -s "$dep" "$program/node_modules/$(basename "$dep")" ;;
    esac
done
cat >"$program/index.ts" <<'TS'
import * as pulumi from "@pulumi/pulumi";
import * as cartesia from "@cartesia-pulumi/cartesia";

const config = new pulumi.Config();
const emulator = new cartesia.Provider("emulator", {
    baseUrl: "http://127.0.0.1:8787",
    apiKey: config.requireSecret("cartesiaKey"),
});
const twilio = new cartesia.TwilioProvider("twilio", {
    accountSid: "AC0123456789abcdef0123456789abcdef",
    apiKeySid: "SK0123456789abcdef0123456789abc001",
    apiKeySecret: config.requireSecret("twilioSecret"),
    region: "us1",
}, { provider: emulator });
const line = new cartesia.PhoneNumber("line", {
    number: "+14155550100",
    providerId: twilio.id,
    label: "Support line",
}, { provider: emulator });
const route = new cartesia.NumberAssignment("route", {
    phoneNumberId: line.id,
    agentId: "agent_support",
}, { provider: emulator });

export const maskedApiKeySid: pulumi.Output<string | undefined> = twilio.maskedApiKeySid;
export const agentName: pulumi.Output<string | undefined> = route.agentName;
export const defaultBaseUrl: string | undefined = cartesia.config.baseUrl;
TS
cat >"$program/tsconfig.json" <<'JSON'
{"compilerOptions": {"strict": true, "target": "ES2022", "module": "commonjs",
  "moduleResolution": "node", "types": ["node"], "skipLibCheck": true, "noEmit": true},
 "files": ["index.ts"]}
JSON
(cd "$program" && "$deps/node_modules/.bin/tsc" -p tsconfig.json)
echo "sdk/nodejs compiles with tsc $TYPESCRIPT_VERSION ($(find "$work/bin" -name '*.js' | wc -l) files), and a program using it type-checks"
