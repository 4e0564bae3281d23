#!/bin/sh
# Generate the SDKs of the cartesia plugin from its package schema (plugin/schema.json):
# sdk/python (the `pulumi_cartesia` package) and sdk/nodejs (`@cartesia-pulumi/cartesia`).
#
#   tools/gen-sdk.sh           -> regenerate sdk/python and sdk/nodejs (`make sdk`)
#   tools/gen-sdk.sh --check   -> regenerate into a temporary directory and fail when the committed
#                                 sdk/ differs (`make sdk-check`)
#
# The generator is tools/sdkgen, a small Go program around Pulumi's own code generators (the ones
# `pulumi package gen-sdk` runs inside the official language hosts; our CLI cannot run them
# itself: docs/native-provider.md, "Tooling"). It needs Go.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
schema="$repo/plugin/schema.json"
mode=${1:-}

pin() { awk '$1=="github.com/pulumi/pulumi/pkg/v3"{print $2}' "$1"; }
if [ "$(pin "$here/sdkgen/go.mod")" != "$(pin "$here/pulumi-cli/go.mod")" ]; then
    echo "tools/sdkgen/go.mod pins pulumi pkg/v3 $(pin "$here/sdkgen/go.mod") but tools/pulumi-cli/go.mod pins $(pin "$here/pulumi-cli/go.mod"); move both to one version (go get, go mod tidy in each)." >&2
    exit 1
fi

generate() {  # generate <out>
    # The CLI's build flags, so `go run` reuses the packages tools/build-pulumi.sh compiled (same
    # module versions as tools/pulumi-cli): only the code generators compile on a first run.
    CGO_ENABLED=0 go run -C "$here/sdkgen" -trimpath -tags osusergo,grpcnotrace . \
        -schema "$schema" -out "$1" -language python,nodejs
    # The generated pyproject.toml names README.md next to itself; the generator writes it into the
    # package only.
    cp "$1/python/pulumi_cartesia/README.md" "$1/python/README.md"
    # The generator writes the licence as a TOML table, which setuptools deprecates (a warning on
    # every install, an error from 2027-02-18); an SPDX string needs setuptools >= 77.
    python3 - "$1/python/pyproject.toml" <<'PY'
import pathlib, sys
path = pathlib.Path(sys.argv[1])
text = path.read_text()
table = '  [project.license]\n    text = "Apache-2.0"\n'
build = 'requires = ["setuptools>=61.0"]'
if table not in text or build not in text:
    sys.exit(f"{path}: the generator's licence table or build requirement changed; update tools/gen-sdk.sh")
text = text.replace(table, "").replace('  version = ', '  license = "Apache-2.0"\n  version = ', 1)
path.write_text(text.replace(build, 'requires = ["setuptools>=77.0"]'))
PY
}

case "$mode" in
    "")
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        generate "$tmp"
        # Swap each language directory whole, so an interrupted run leaves the old SDK in place.
        mkdir -p "$repo/sdk"
        for language in python nodejs; do
            rm -rf "$repo/sdk/.$language.old"
            if [ -d "$repo/sdk/$language" ]; then mv "$repo/sdk/$language" "$repo/sdk/.$language.old"; fi
            mv "$tmp/$language" "$repo/sdk/$language"
            rm -rf "$repo/sdk/.$language.old"
        done
        echo "sdk/python and sdk/nodejs regenerated from plugin/schema.json"
        ;;
    --check)
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        generate "$tmp"
        for language in python nodejs; do
            # Ignored by the generated .gitignore files: caches, an editable install's metadata.
            if ! diff -r -x __pycache__ -x '*.egg-info' -x node_modules -x bin -x build -x dist \
                "$repo/sdk/$language" "$tmp/$language" >"$tmp/$language.diff" 2>&1; then
                cat "$tmp/$language.diff" >&2
                echo "sdk/$language differs from what plugin/schema.json generates; run \`make sdk\` and commit sdk/." >&2
                exit 1
            fi
        done
        echo "sdk/ matches plugin/schema.json"
        ;;
    *)
        echo "usage: tools/gen-sdk.sh [--check]" >&2
        exit 2
        ;;
esac
