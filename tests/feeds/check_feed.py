#!/usr/bin/python3
"""Reads one feed with parsers nobody in loa wrote and prints what they saw as JSON.

Usage: check_feed.py FORMAT FILE [--expect-entries N] [--icaljs SUMMARY.json]
  atom, rss: feedparser (Debian's python3-feedparser); its bozo flag must be 0.
  json:      Python's json (strict: no duplicate keys, no NaN) and python3-jsonschema against
             tests/feeds/jsonfeed-1.1.schema.json (Debian's feedparser 6.0.10 has no JSON Feed reader).
  ics:       the RFC 5545 line rules on the raw bytes (CRLF, at most 75 octets, folding never inside
             a UTF-8 sequence, no control characters), then python3-icalendar (Calendar.from_ical,
             every VEVENT); with --icaljs, the summary that check_ics.mjs (ical.js) printed must agree.
Exit: 0 read cleanly; 1 a parser complained or the count differs (the reason on stderr).
Called by check_feed.sh; jing runs there for Atom.
"""
import datetime
import json
import os
import sys


class Failure(Exception):
    pass


def fail(msg):
    raise Failure(msg)


def feedparser_summary(path, fmt):
    import feedparser
    with open(path, "rb") as f:
        data = f.read()
    d = feedparser.parse(data)
    if d.bozo:
        fail(f"feedparser: bozo=1: {d.get('bozo_exception')!r}")
    want = {"atom": "atom10", "rss": "rss20"}[fmt]
    if d.version != want:
        fail(f"feedparser: read the document as {d.version!r}, expected {want!r}")
    entries = []
    for e in d.entries:
        entry = {
            "id": e.get("id"),
            "title": e.get("title"),
            "updated": e.get("updated"),
            "published": e.get("published"),
            "categories": [t.get("label") or t.get("term") for t in e.get("tags", [])],
            "content": (e.get("content") or [{}])[0].get("value") if fmt == "atom" else e.get("summary"),
        }
        for key in ("loa_start", "loa_state", "loa_sequence", "loa_duration", "loa_placement"):
            if key in e:
                entry[key[4:]] = e[key]
        entries.append(entry)
    self_links = [l.get("href") for l in d.feed.get("links", []) if l.get("rel") == "self"]
    return {
        "format": fmt,
        "parsers": [f"feedparser {feedparser.__version__}"] + (["jing (RFC 4287 grammar)"] if fmt == "atom" else []),
        "title": d.feed.get("title"),
        "language": d.feed.get("language"),
        "self": self_links[0] if self_links else None,
        "entries": entries,
    }


def reject_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        fail(f"json: duplicate keys {sorted(dup)}")
    return dict(pairs)


def reject_constant(name):
    fail(f"json: {name} is not JSON")


def parse_rfc3339(value, where):
    try:
        t = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        fail(f"json: {where}: {value!r} is not an RFC 3339 date-time ({e})")
    if t.tzinfo is None:
        fail(f"json: {where}: {value!r} has no offset")
    return t


def json_feed_summary(path):
    import jsonschema
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        fail(f"json: not UTF-8: {e}")
    try:
        doc = json.loads(text, object_pairs_hook=reject_duplicates, parse_constant=reject_constant)
    except json.JSONDecodeError as e:
        fail(f"json: {e}")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "jsonfeed-1.1.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        fail("json feed: " + "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors[:5]))
    entries = []
    ids = set()
    for i, item in enumerate(doc["items"]):
        if item["id"] in ids:
            fail(f"json feed: items/{i}: id {item['id']!r} appears twice")
        ids.add(item["id"])
        for key in ("date_published", "date_modified"):
            if key in item:
                parse_rfc3339(item[key], f"items/{i}/{key}")
        x = item.get("_loa", {})
        if "start" in x:
            parse_rfc3339(x["start"], f"items/{i}/_loa/start")
        entries.append({
            "id": item["id"],
            "title": item.get("title"),
            "updated": item.get("date_modified"),
            "published": item.get("date_published"),
            "categories": item.get("tags", []),
            "content": item.get("content_text"),
            **{k: x[k] for k in ("start", "state", "sequence", "duration_s", "placement_id", "prime", "make_good_of") if k in x},
        })
    return {
        "format": "json",
        "parsers": ["python json (strict)", "python3-jsonschema (JSON Feed 1.1 schema)"],
        "title": doc.get("title"),
        "language": doc.get("language"),
        "self": doc.get("feed_url"),
        "entries": entries,
    }


def check_ics_lines(raw):
    """RFC 5545 section 3.1 on the bytes as served."""
    if not raw.endswith(b"\r\n"):
        fail("ics: the last line does not end with CRLF")
    lines = raw[:-2].split(b"\r\n")
    logical = []
    for n, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            fail(f"ics: line {n}: a bare LF or CR (lines must end with CRLF)")
        if len(line) > 75:
            fail(f"ics: line {n}: {len(line)} octets (at most 75 without the CRLF)")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            fail(f"ics: line {n}: folded inside a UTF-8 sequence (or not UTF-8)")
        if line.startswith((b" ", b"\t")):
            if not logical:
                fail(f"ics: line {n}: a continuation line at the start")
            logical[-1] += line[1:]
        else:
            logical.append(line)
    for line in logical:
        text = line.decode("utf-8")
        for ch in text:
            if (ord(ch) < 0x20 and ch != "\t") or ord(ch) == 0x7F:
                fail(f"ics: a control character U+{ord(ch):04X} in {text[:40]!r}")
    return logical


def ics_summary(path, icaljs_path):
    import icalendar
    with open(path, "rb") as f:
        raw = f.read()
    logical = check_ics_lines(raw)
    try:
        cal = icalendar.Calendar.from_ical(raw)
    except Exception as e:  # icalendar raises ValueError and friends
        fail(f"icalendar: {e}")
    if cal.name != "VCALENDAR":
        fail(f"icalendar: top component is {cal.name}")
    for prop in ("VERSION", "PRODID"):
        if prop not in cal:
            fail(f"icalendar: VCALENDAR has no {prop}")
    if str(cal["VERSION"]) != "2.0":
        fail(f"icalendar: VERSION is {cal['VERSION']}")
    tzids = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    used = set()
    events = []
    uids = set()
    for ev in cal.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART"):
            if prop not in ev:
                fail(f"icalendar: a VEVENT has no {prop}")
        uid = str(ev["UID"])
        if uid in uids:
            fail(f"icalendar: UID {uid} appears twice")
        uids.add(uid)
        stamp = ev.decoded("DTSTAMP")
        if not isinstance(stamp, datetime.datetime) or stamp.utcoffset() != datetime.timedelta(0):
            fail(f"icalendar: {uid}: DTSTAMP is not in UTC")
        tzid = ev["DTSTART"].params.get("TZID")
        if tzid:
            used.add(str(tzid))
        start = ev.decoded("DTSTART")
        events.append({
            "uid": uid,
            "summary": str(ev.get("SUMMARY", "")),
            "status": str(ev.get("STATUS", "")),
            "sequence": int(ev.get("SEQUENCE", 0)),
            "start": start.isoformat(),
            "tzid": str(tzid) if tzid else None,
            "rrule": ev["RRULE"].to_ical().decode() if "RRULE" in ev else None,
            "categories": [str(c) for cats in (ev.get("CATEGORIES") if isinstance(ev.get("CATEGORIES"), list) else [ev.get("CATEGORIES")] if ev.get("CATEGORIES") is not None else []) for c in cats.cats],
            "description": str(ev.get("DESCRIPTION", "")),
            "location": str(ev.get("LOCATION", "")) or None,
            "related_to": str(ev.get("RELATED-TO", "")) or None,
            "reltype": str(ev["RELATED-TO"].params.get("RELTYPE", "")) if "RELATED-TO" in ev else None,
        })
    missing = used - set(tzids)
    if missing:
        fail(f"icalendar: no VTIMEZONE for {sorted(missing)}")
    summary = {
        "format": "ics",
        "parsers": [f"icalendar {icalendar.__version__}"],
        "title": str(cal.get("X-WR-CALNAME", "")),
        "method": str(cal.get("METHOD", "")),
        "timezones": tzids,
        "lines": len(logical),
        "entries": events,
    }
    if icaljs_path:
        with open(icaljs_path, encoding="utf-8") as f:
            other = json.load(f)
        summary["parsers"].append(other["parser"])
        theirs = {e["uid"]: e for e in other["events"]}
        if set(theirs) != set(uids):
            fail(f"ical.js and icalendar disagree on the events: {sorted(set(theirs) ^ uids)}")
        for e in events:
            t = theirs[e["uid"]]
            for key in ("summary", "status", "sequence", "description", "location", "related_to"):
                if (t.get(key) or None) != (e[key] or None):
                    fail(f"ical.js and icalendar disagree on {key} of {e['uid']}: {t.get(key)!r} vs {e[key]!r}")
            # icalendar 4.0.3 (Debian) unescapes CATEGORIES before splitting at commas, so a name
            # with an escaped comma ("Phòng\\, chống…") comes back as two; RFC 5545 says one (ical.js
            # agrees). Compared joined, and ical.js's list is the one reported.
            if ",".join(t.get("categories", [])) != ",".join(e["categories"]):
                fail(f"ical.js and icalendar disagree on the categories of {e['uid']}: "
                     f"{t.get('categories')!r} vs {e['categories']!r}")
            e["categories"] = t.get("categories", [])
            # ical.js resolves DTSTART through the VTIMEZONE in the file; icalendar through its own
            # zone database by TZID: the instants must agree.
            mine_utc = datetime.datetime.fromisoformat(e["start"])
            if isinstance(mine_utc, datetime.datetime) and mine_utc.tzinfo is not None and t.get("start_utc"):
                theirs_utc = datetime.datetime.fromisoformat(t["start_utc"].replace("Z", "+00:00"))
                if mine_utc != theirs_utc:
                    fail(f"ical.js and icalendar disagree on the start of {e['uid']}: {theirs_utc} vs {mine_utc}")
            e["start_utc"] = t.get("start_utc")
            e["occurrences_utc"] = t.get("occurrences_utc")
    return summary


def main(argv):
    if len(argv) < 3 or argv[1] not in ("atom", "rss", "json", "ics"):
        print(__doc__, file=sys.stderr)
        return 2
    fmt, path = argv[1], argv[2]
    expect = None
    icaljs = None
    rest = argv[3:]
    while rest:
        if rest[0] == "--expect-entries" and len(rest) > 1:
            expect = int(rest[1])
            rest = rest[2:]
        elif rest[0] == "--icaljs" and len(rest) > 1:
            icaljs = rest[1]
            rest = rest[2:]
        else:
            print(f"check_feed.py: unknown argument {rest[0]!r}", file=sys.stderr)
            return 2
    try:
        if fmt in ("atom", "rss"):
            summary = feedparser_summary(path, fmt)
        elif fmt == "json":
            summary = json_feed_summary(path)
        else:
            summary = ics_summary(path, icaljs)
        summary["file"] = path
        summary["count"] = len(summary["entries"])
        if expect is not None and summary["count"] != expect:
            fail(f"{summary['count']} entries, expected {expect}")
    except Failure as e:
        print(f"check_feed: {path}: {e}", file=sys.stderr)
        return 1
    json.dump(summary, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
