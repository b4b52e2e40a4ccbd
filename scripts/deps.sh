#!/usr/bin/env bash
# Installs the Debian packages loa needs to build, run and test. Idempotent; quiet when nothing is missing.
# Usage: scripts/deps.sh [build|test|bench]   (test includes build; bench includes build)
set -euo pipefail

build_pkgs=(
  cmake ninja-build g++ make pkg-config
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  libsqlitecpp-dev libsqlite3-dev sqlite3 libyaml-cpp-dev
  libhowardhinnant-date-dev tzdata libical-dev libssl-dev zlib1g-dev
  libsodium-dev libkainjow-mustache-dev libboost-locale1.81-dev gettext liblemon-dev
  libjemalloc-dev
  googletest libgtest-dev  # the build configures tests/ (find_package(GTest)) even for `make run`
)
test_pkgs=(clang libclang-rt-14-dev curl python3 python3-jsonschema python3-yaml python3-feedparser python3-icalendar jing chromium nodejs coinor-cbc)
bench_pkgs=(wrk nginx-light)

want=("${build_pkgs[@]}")
case "${1:-build}" in
  build) ;;
  test) want+=("${test_pkgs[@]}") ;;
  bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

# npm: part of NodeSource's nodejs package, a package of its own in Debian's.
if [ "${1:-build}" != build ] && ! command -v npm >/dev/null; then want+=(npm); fi

missing=()
for p in "${want[@]}"; do
  # dpkg-query prints "install ok installed" only for a fully installed package.
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "loa: installing missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
