#!/bin/sh
# Build the real Pulumi CLI and the YAML language host (pulumi-language-yaml) from Go modules
# (no get.pulumi.com here) into cache directories keyed by version, outside the repository.
# Idempotent: a second run with both binaries present at the right versions builds nothing.
#
#   tools/build-pulumi.sh            -> builds if needed, prints the prefix (PREFIX/bin/pulumi)
#   tools/build-pulumi.sh --prefix   -> only prints the prefix, builds nothing
#
# Environment:
#   PULUMI_CLI_VERSION   version to build (default: the one pinned in tools/pulumi-cli/go.mod)
#   CARTESIA_PULUMI_CACHE cache root (default: $XDG_CACHE_HOME or ~/.cache, /cartesia-pulumi)
#
# The YAML host is pinned in tools/pulumi-yaml/go.mod, a module of its own: pulumi-yaml v1.25.0 is
# built against pulumi pkg/sdk v3.206.0, and in the CLI's module version selection would lift it
# to the CLI's v3.274.1, a pairing pulumi-yaml v1.25.0 was not released with.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
mod="$here/pulumi-cli"
version=${PULUMI_CLI_VERSION:-$(awk '$1=="github.com/pulumi/pulumi/pkg/v3"{print $2}' "$mod/go.mod")}
cache_root=${CARTESIA_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cartesia-pulumi}
prefix="$cache_root/pulumi-$version"
bin="$prefix/bin"
if [ "${1:-}" = "--prefix" ]; then
    echo "$prefix"
    exit 0
fi
mkdir -p "$bin"

have=$("$bin/pulumi" version 2>/dev/null || true)
if [ "$have" != "$version" ]; then
    echo "building pulumi $version into $bin (cold: about 3 minutes on 2 cores, more with downloads)" >&2
    start=$(date +%s)
    tmp="$bin/.pulumi.tmp.$$"
    trap 'rm -f "$tmp"' EXIT
    (
        cd "$mod"
        CGO_ENABLED=0 go build -trimpath \
            -tags osusergo,grpcnotrace \
            -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
            -o "$tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    )
    got=$("$tmp" version)
    if [ "$got" != "$version" ]; then
        echo "built binary reports version '$got', expected '$version'" >&2
        exit 1
    fi
    mv -f "$tmp" "$bin/pulumi"   # atomic: an interrupted build never looks cached
    trap - EXIT
    echo "built pulumi $version in $(( $(date +%s) - start ))s" >&2
fi

# The YAML language host: built once per pulumi-yaml version into its own cache directory, then
# linked next to the CLI, where the engine looks for bundled language hosts first (yaml is one).
yaml_mod="$here/pulumi-yaml"
yaml_version=$(awk '$1=="github.com/pulumi/pulumi-yaml"{print $2}' "$yaml_mod/go.mod")
yaml_bin="$cache_root/pulumi-yaml-$yaml_version/bin"
yaml_exe="$yaml_bin/pulumi-language-yaml"
if [ ! -x "$yaml_exe" ]; then
    echo "building pulumi-language-yaml $yaml_version into $yaml_bin (cold: about 4 minutes on 2 cores)" >&2
    start=$(date +%s)
    mkdir -p "$yaml_bin"
    tmp="$yaml_bin/.pulumi-language-yaml.tmp.$$"
    trap 'rm -f "$tmp"' EXIT
    (
        cd "$yaml_mod"
        CGO_ENABLED=0 go build -trimpath \
            -tags osusergo,grpcnotrace \
            -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=${yaml_version#v}" \
            -o "$tmp" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
    )
    got=$(go version -m "$tmp" | awk '($1=="mod" || $1=="dep") && $2=="github.com/pulumi/pulumi-yaml"{print $3}')
    if [ "$got" != "$yaml_version" ]; then
        echo "built pulumi-language-yaml is from pulumi-yaml '$got', expected '$yaml_version'" >&2
        exit 1
    fi
    mv -f "$tmp" "$yaml_exe"   # atomic: an interrupted build never looks cached
    trap - EXIT
    echo "built pulumi-language-yaml $yaml_version in $(( $(date +%s) - start ))s" >&2
fi
ln -sfn "$yaml_exe" "$bin/.pulumi-language-yaml.tmp.$$"
mv -f "$bin/.pulumi-language-yaml.tmp.$$" "$bin/pulumi-language-yaml"

# Our plugins and their launchers, next to the real binary, where the CLI looks for bundled plugins
# first (so there is no "using ... from $PATH" warning). Copied verbatim: the cache is shared by
# every checkout on the machine, so nothing in it may name a checkout or a checkout's venv. Each
# launcher picks its interpreter at run time, from PULUMI_PYTHON_CMD or the project's
# virtualenv (tools/launchers/choose-python.sh, tools/langhost/pulumi_language_python_stage.py).
#   pulumi-resource-pulumi-python  Pulumi's Python dynamic-provider server
#   pulumi-language-python         our pure-Python language host (the Go one is not served by the
#                                  module proxy), so `pulumi up` works from a project directory
#   pulumi-resource-random         our RandomPet-only stand-in for the pulumi-random plugin; not a
#                                  bundled name, so the engine finds it through $PATH
# Each file is written to a temporary name and renamed, so a concurrent run from another checkout
# never sees half a file.
install_file() {  # install_file <source> <mode>
    dest="$bin/$(basename "$1")"
    cp -f "$1" "$dest.tmp.$$"
    chmod "$2" "$dest.tmp.$$"
    mv -f "$dest.tmp.$$" "$dest"
}
install_file "$here/launchers/choose-python.sh" 0644
for f in pulumi-resource-pulumi-python pulumi-language-python pulumi-resource-random; do
    install_file "$here/launchers/$f" 0755
done
install_file "$here/langhost/pulumi_language_python.py" 0644
install_file "$here/langhost/pulumi_language_python_stage.py" 0644
install_file "$here/random_plugin/pulumi_resource_random.py" 0644

echo "$prefix"
