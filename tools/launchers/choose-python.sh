# Sourced by the Python plugin launchers next to the pulumi CLI (installed by tools/build-pulumi.sh).
# Defines choose_python: sets $python to the interpreter a Python provider plugin runs with, chosen
# at run time (nothing here names a checkout), in the order of the official launcher (Pulumi's
# sdk/python/dist/pulumi-resource-pulumi-python) except that PULUMI_PYTHON_CMD comes first, as in
# our language host (tools/langhost/pulumi_language_python_stage.py), so a program and its
# providers always share one interpreter:
#
#   1. $PULUMI_PYTHON_CMD                       (our test tooling pins the interpreter with it)
#   2. $PULUMI_RUNTIME_VIRTUALENV               (the engine sets it from Pulumi.yaml runtime.options)
#   3. $PULUMI_RUNTIME_TOOLCHAIN                (uv -> .venv, poetry -> `poetry env info --path`)
#   4. python3 on PATH
#
# A relative virtualenv is resolved against the project directory (where Pulumi.yaml is), as the
# official language host does, then against $PWD (the program directory, `main:`), as the official
# launcher does; the two differ only for projects with `main:`. With a venv, its bin/ goes first on
# PATH and PYTHONHOME is dropped. A missing venv prints one sentence and exits 1.

# The directory of the project file the CLI uses: the first Pulumi.{json,yaml,yml} at or above the
# CLI's working directory (our parent; Linux /proc), else above our own.
project_root() {
    d=$(readlink "/proc/$PPID/cwd" 2>/dev/null) || d=$PWD
    while :; do
        for f in Pulumi.json Pulumi.yaml Pulumi.yml; do
            if [ -f "$d/$f" ]; then
                printf '%s\n' "$d"
                return 0
            fi
        done
        case $d in
            / | "") return 1 ;;
        esac
        d=$(dirname "$d")
    done
}

choose_python() {
    if [ -n "${PULUMI_PYTHON_CMD:-}" ]; then
        python=$PULUMI_PYTHON_CMD
        return 0
    fi
    venv=${PULUMI_RUNTIME_VIRTUALENV:-}
    if [ -z "$venv" ]; then
        case ${PULUMI_RUNTIME_TOOLCHAIN:-} in
            uv) venv=.venv ;;
            poetry)
                venv=$(poetry env info --path 2>/dev/null) || venv=
                if [ -z "$venv" ]; then
                    echo "Pulumi.yaml sets \`toolchain: poetry\`, but \`poetry env info --path\` found no environment; run \`poetry install\` in the project directory first." >&2
                    exit 1
                fi
                ;;
        esac
    fi
    if [ -z "$venv" ]; then
        python=python3
        return 0
    fi
    venv=${venv%/}
    case $venv in
        /*) dir=$venv ;;
        *)
            dir=$PWD/$venv
            if root=$(project_root); then
                if [ -f "$root/$venv/bin/python" ] || [ ! -f "$dir/bin/python" ]; then
                    dir=$root/$venv
                fi
            fi
            ;;
    esac
    if [ ! -f "$dir/bin/python" ]; then
        echo "The 'virtualenv' option in Pulumi.yaml is '$venv', but $dir is not a virtual environment (no bin/python); create it with \`python3 -m venv $dir\` and \`$dir/bin/python -m pip install -r requirements.txt\`." >&2
        exit 1
    fi
    PATH=$dir/bin:$PATH
    export PATH
    unset PYTHONHOME
    python=$dir/bin/python
}
