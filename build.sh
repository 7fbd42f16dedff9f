#!/usr/bin/env bash
# Gwanje's one entry point. On a fresh Debian 12 machine:
#   ./build.sh run     install what is missing, build (release with debug info), start the app
#   ./build.sh test    install, build the dev preset (warnings are errors), run every test
#   ./build.sh bench   install, release build, run gwanje-bench (JSON lines, also in build/bench.jsonl)
#   ./build.sh asan    install, build the asan preset, run the unit and integration tests under ASan+UBSan
# Extra arguments after `run` go to the app, e.g. ./build.sh run --lang en
set -euo pipefail
cd "$(dirname "$0")"

packages_file=packaging/debian-packages.txt

install_packages() {
    local wanted missing=()
    wanted=$(grep -v '^\s*#' "$packages_file" | awk 'NF { print $1 }')
    for p in $wanted; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    echo "build.sh: installing ${#missing[@]} missing Debian package(s): ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "build.sh: need root or sudo to install: ${missing[*]}" >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build() {
    local preset=$1
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
}

command=${1:-}
shift || true
case "$command" in
run)
    install_packages
    build release
    exec build/bin/gwanje "$@"
    ;;
test)
    install_packages
    build dev
    ctest --preset dev "$@"
    ;;
bench)
    install_packages
    build release
    build/bin/gwanje-bench "$@" | tee build/bench.jsonl
    ;;
asan)
    install_packages
    build asan
    ctest --preset asan "$@"
    ;;
*)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
