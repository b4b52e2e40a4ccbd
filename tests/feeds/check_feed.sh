#!/usr/bin/env bash
# Reads one feed file with parsers nobody in loa wrote; prints their JSON summary on stdout.
# Usage: tests/feeds/check_feed.sh FILE [--expect-entries N] [--format atom|rss|json|ics]
#   The format is the file's extension unless --format says otherwise.
#   .atom  python3-feedparser (bozo must be 0) and jing with tests/feeds/atom.rnc (RFC 4287 grammar)
#   .rss   python3-feedparser (bozo must be 0)
#   .json  strict JSON and python3-jsonschema with the JSON Feed 1.1 schema in tests/feeds
#          (Debian's feedparser 6.0.10 has no JSON Feed reader)
#   .ics   the RFC 5545 line rules, python3-icalendar and ical.js (tests/feeds/check_ics.mjs, npm
#          package from tests/browser/node_modules, installed by tests/feeds/npm_ci.sh when missing);
#          the two parsers must agree on every event
# The summary: {"format", "parsers", "title", "count", "entries": [{"id"/"uid", "title"/"summary",
# ("status", "sequence", "start_utc" for ICS) …}]}. Exit 0 when every parser read the file
# cleanly (and the count matches), 1 with the reason on stderr otherwise, 2 for bad usage.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
usage() {
  echo "usage: $0 FILE [--expect-entries N] [--format atom|rss|json|ics]" >&2
  exit 2
}
[ $# -ge 1 ] || usage
file=$1
shift
format=${file##*.}
expect=()
while [ $# -gt 0 ]; do
  case "$1" in
    --expect-entries) [ $# -ge 2 ] || usage; expect=(--expect-entries "$2"); shift 2 ;;
    --format) [ $# -ge 2 ] || usage; format=$2; shift 2 ;;
    *) usage ;;
  esac
done
[ -f "$file" ] || { echo "check_feed: $file: no such file" >&2; exit 1; }
python=/usr/bin/python3

case "$format" in
  atom)
    # jing prints its findings on stdout; Debian's wrapper warns about optional jars on stderr.
    if ! out=$(jing -c "$here/atom.rnc" "$file" 2>&1); then
      echo "check_feed: $file does not match the RFC 4287 grammar (jing):" >&2
      grep -v 'Unable to locate' <<<"$out" >&2 || true
      exit 1
    fi
    exec "$python" "$here/check_feed.py" atom "$file" "${expect[@]}"
    ;;
  rss | json)
    exec "$python" "$here/check_feed.py" "$format" "$file" "${expect[@]}"
    ;;
  ics)
    "$here/npm_ci.sh"
    icaljs=$(mktemp "${TMPDIR:-/tmp}/loa-icaljs.XXXXXX")
    trap 'rm -f "$icaljs"' EXIT
    if ! node "$here/check_ics.mjs" "$file" >"$icaljs"; then
      echo "check_feed: $file: ical.js could not read it" >&2
      exit 1
    fi
    "$python" "$here/check_feed.py" ics "$file" --icaljs "$icaljs" "${expect[@]}"
    ;;
  *)
    echo "check_feed: $file: unknown format '$format' (atom, rss, json or ics)" >&2
    exit 2
    ;;
esac
