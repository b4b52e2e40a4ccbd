#!/usr/bin/env bash
# ctest feed_parsers: feed_samples writes the sample feeds into a fresh directory, check_feed.sh reads
# every one with the real parsers (each must read it cleanly, with the expected number of entries),
# then assert_samples.py checks what the parsers saw: Vietnamese titles intact, the moved placement's
# sequence, the cancelled ones, hostile text as text, times across a DST change.
# Usage: tests/feeds/run_parsers.sh PATH/TO/feed_samples
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "usage: $0 PATH/TO/feed_samples" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/loa-feeds.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$1" "$work/feeds" >/dev/null

declare -A expect=(
  [schedule.atom]=6 [schedule.rss]=6 [schedule.json]=6 [schedule.ics]=6
  [schedule-berlin.atom]=2 [schedule-berlin.rss]=2 [schedule-berlin.json]=2 [schedule-berlin.ics]=2
  [news.atom]=2 [news.rss]=2 [news.json]=2 [events.ics]=5
)
mkdir -p "$work/summaries"
failed=0
for name in "${!expect[@]}"; do
  if [ ! -f "$work/feeds/$name" ]; then
    echo "FAIL $name: feed_samples did not write it" >&2
    failed=1
    continue
  fi
  if "$here/check_feed.sh" "$work/feeds/$name" --expect-entries "${expect[$name]}" >"$work/summaries/$name.json"; then
    echo "ok   $name (${expect[$name]} entries)"
  else
    echo "FAIL $name" >&2
    failed=1
  fi
done
[ "$failed" -eq 0 ] || exit 1
/usr/bin/python3 "$here/assert_samples.py" "$work/summaries"
