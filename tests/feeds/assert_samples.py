#!/usr/bin/python3
"""What the parsers saw in the sample feeds (tests/feeds/sample_models.hpp), checked.

Usage: assert_samples.py DIR   (DIR holds NAME.json, check_feed.sh's summary of each sample NAME)
Prints one line per check; exits 1 if any failed.
"""
import json
import os
import sys

HOSTILE = "<script>alert(\"x\")</script> ]]> & 'nháy' \"kép\" \\ ; , <b>đậm</b>"
LONG_LINE = ("Điều" + "ệ") * 40
CAMPAIGN = "Phòng, chống mua bán người — Hải Phòng 2024"

failures = []
passes = 0


def check(cond, what):
    global passes
    if cond:
        passes += 1
    else:
        failures.append(what)
        print(f"FAIL {what}", file=sys.stderr)


def load(d, name):
    with open(os.path.join(d, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def by_id(summary, part):
    """The one entry whose id/UID names `part`: a placement number or an activity/message code."""
    def names(e):
        ident = e.get("id") or e.get("uid") or ""
        return (f"/placements/{part}/" in ident or ident.startswith(f"placement-{part}.")
                or ident.endswith(f"/messages/{part}") or ident.startswith(f"activity-{part}."))
    found = [e for e in summary["entries"] if names(e)]
    if len(found) != 1:
        raise SystemExit(f"{summary['file']}: {len(found)} entries match {part!r}")
    return found[0]


def title(e):
    return e.get("title") if "title" in e else e.get("summary")


def main(d):
    # The Hải Phòng schedule in the four formats.
    for ext in ("atom", "rss", "json", "ics"):
        s = load(d, "schedule." + ext)
        name = f"schedule.{ext}"
        check(s["title"] == "Lịch phát sóng · Đài Phát thanh và Truyền hình Hải Phòng", f"{name}: feed title {s['title']!r}")
        prime = by_id(s, "101")
        check(title(prime) == "19:00 thứ Hai 29/07/2024 · Cảnh giác với lời mời việc nhẹ lương cao · Giờ vàng",
              f"{name}: prime-time title {title(prime)!r}")
        moved = by_id(s, "102")
        check(title(moved).startswith("[ĐÃ DỜI] 07:15 thứ Ba 30/07/2024 · Đường dây nóng 111"),
              f"{name}: moved title says the new time: {title(moved)!r}")
        cancelled = by_id(s, "103")
        check(title(cancelled).startswith("[ĐÃ HỦY] 17:00 thứ Ba 30/07/2024"), f"{name}: cancelled title {title(cancelled)!r}")
        hostile = by_id(s, "104")
        check(HOSTILE in title(hostile), f"{name}: hostile title kept as text, control characters gone: {title(hostile)!r}")
        missed = by_id(s, "105")
        check(title(missed).startswith("[KHÔNG PHÁT ĐƯỢC] 06:30 thứ Năm 01/08/2024 · Đường dây nóng 111"),
              f"{name}: missed title says so: {title(missed)!r}")
        make_good = by_id(s, "106")
        check(title(make_good).startswith("[PHÁT BÙ] 07:30 thứ Sáu 02/08/2024 · Đường dây nóng 111"),
              f"{name}: make-good title says so: {title(make_good)!r}")
        mg_text = make_good["description"] if ext == "ics" else make_good["content"]
        check("Phát bù cho lượt phát bị lỡ lúc 06:30 thứ Năm 01/08/2024 (lượt #105)." in mg_text,
              f"{name}: make-good text names the missed airing")
        if ext == "ics":
            check(make_good["related_to"] == "placement-105.haiphong-2024-anti-trafficking@loa.example"
                  and make_good["reltype"] == "SIBLING",
                  f"{name}: make-good RELATED-TO the missed UID, got {make_good['related_to']!r} {make_good['reltype']!r}")
            check(missed["related_to"] is None and missed["status"] == "CONFIRMED", f"{name}: missed: no RELATED-TO")
        if ext == "json":
            check(make_good.get("make_good_of") == 105 and "make_good_of" not in missed,
                  f"{name}: _loa.make_good_of 105 on the make-good only, got {make_good.get('make_good_of')!r}")
        if ext == "ics":
            check(moved["sequence"] == 2 and moved["status"] == "CONFIRMED", f"{name}: moved SEQUENCE:2 CONFIRMED, got {moved['sequence']} {moved['status']}")
            check(cancelled["status"] == "CANCELLED" and cancelled["sequence"] == 1, f"{name}: STATUS:CANCELLED SEQUENCE:1, got {cancelled['status']} {cancelled['sequence']}")
            check(prime["status"] == "CONFIRMED" and prime["sequence"] == 0, f"{name}: prime CONFIRMED SEQUENCE:0")
            check(prime["start_utc"] == "2024-07-29T12:00:00Z", f"{name}: 19:00 in Hải Phòng is 12:00Z (ical.js), got {prime['start_utc']}")
            check(LONG_LINE in hostile["description"], f"{name}: the 200-character Vietnamese line survives folding")
            check(CAMPAIGN in prime["categories"], f"{name}: category with a comma kept whole: {prime['categories']}")
            check("Người lao động; tự do, \"thời vụ\"" in hostile["categories"], f"{name}: category with ; , and quotes: {hostile['categories']}")
            check(s["timezones"] == ["Asia/Ho_Chi_Minh"], f"{name}: one VTIMEZONE, got {s['timezones']}")
        else:
            check(str(moved["sequence"]) == "2", f"{name}: moved sequence 2, got {moved.get('sequence')!r}")
            check(cancelled["state"] == "cancelled", f"{name}: cancelled state, got {cancelled.get('state')!r}")
            check(prime["start"] == "2024-07-29T19:00:00+07:00", f"{name}: air time with offset, got {prime.get('start')!r}")
            check(LONG_LINE in hostile["content"], f"{name}: the 200-character Vietnamese line in the content")
            check("Lượt phát này đã bị hủy" in cancelled["content"], f"{name}: cancelled content says so")
            check("Đã dời giờ, giờ mới: 07:15 thứ Ba 30/07/2024" in moved["content"], f"{name}: moved content says the new time")
            check(CAMPAIGN in prime["categories"], f"{name}: campaign category {prime['categories']}")
            if ext != "rss":  # RSS content is HTML: the hostile text is there escaped, checked below
                check(HOSTILE in hostile["content"], f"{name}: hostile material kept as text")
            else:
                check("&lt;script&gt;" in hostile["content"] and "<script" not in hostile["content"],
                      f"{name}: hostile material escaped in the HTML description")

    # The outlet abroad: the same 20:00 either side of the end of summer time.
    for ext in ("atom", "rss", "json", "ics"):
        s = load(d, "schedule-berlin." + ext)
        name = f"schedule-berlin.{ext}"
        summer, winter = by_id(s, "201"), by_id(s, "202")
        check(title(summer).startswith("20:00 Saturday 26/10/2024 · Vietnamese abroad"), f"{name}: English first: {title(summer)!r}")
        if ext == "ics":
            check(summer["start_utc"] == "2024-10-26T18:00:00Z" and winter["start_utc"] == "2024-10-27T19:00:00Z",
                  f"{name}: CEST/CET instants through the VTIMEZONE, got {summer['start_utc']} {winter['start_utc']}")
        else:
            check(summer["start"] == "2024-10-26T20:00:00+02:00" and winter["start"] == "2024-10-27T20:00:00+01:00",
                  f"{name}: offsets +02:00 then +01:00, got {summer.get('start')} {winter.get('start')}")

    # Campaign news.
    for ext in ("atom", "rss", "json"):
        s = load(d, "news." + ext)
        name = f"news.{ext}"
        check(s["title"] == "Tin chiến dịch · " + CAMPAIGN, f"{name}: feed title {s['title']!r}")
        press = by_id(s, "press-release-launch")
        check(press["title"] == "Thông cáo báo chí: phát động tháng hành động phòng, chống mua bán người", f"{name}: title {press['title']!r}")
        hostile = by_id(s, "online-hostile")
        check(hostile["title"] == HOSTILE, f"{name}: hostile title as text {hostile['title']!r}")

    # Public activities.
    s = load(d, "events.ics")
    name = "events.ics"
    day = by_id(s, "world-day")
    check(day.get("start") == "2024-07-30" and day["summary"] == "Ngày thế giới phòng, chống mua bán người", f"{name}: all-day event {day.get('start')} {day['summary']!r}")
    school = by_id(s, "school-sessions")
    check(school["rrule"] == "FREQ=WEEKLY;COUNT=8;BYDAY=TU,TH" or ("FREQ=WEEKLY" in school["rrule"] and "COUNT=8" in school["rrule"]), f"{name}: RRULE {school['rrule']}")
    check(len(school["occurrences_utc"] or []) == 8 and school["occurrences_utc"][1] == "2024-08-01T07:00:00Z",
          f"{name}: 8 occurrences Tuesday/Thursday 14:00 (ical.js): {school['occurrences_utc']}")
    concert = by_id(s, "concert")
    check(concert["status"] == "CANCELLED" and concert["sequence"] == 3 and concert["summary"].startswith("[ĐÃ HỦY] "),
          f"{name}: cancelled activity {concert['status']} {concert['sequence']} {concert['summary']!r}")
    berlin = by_id(s, "berlin-community")
    check(berlin["occurrences_utc"] == ["2024-10-19T16:00:00Z", "2024-10-26T16:00:00Z", "2024-11-02T17:00:00Z"],
          f"{name}: weekly 18:00 in Berlin across the DST change (ical.js): {berlin['occurrences_utc']}")
    check(HOSTILE in berlin["description"] and LONG_LINE in berlin["description"], f"{name}: hostile and long text in DESCRIPTION")
    press = by_id(s, "press-conference-launch")
    check(press["location"] == "Hội trường Ủy ban nhân dân thành phố, số 18 Hoàng Diệu; quận Hồng Bàng", f"{name}: LOCATION with , and ; {press['location']!r}")
    check(sorted(s["timezones"]) == ["Asia/Ho_Chi_Minh", "Europe/Berlin"], f"{name}: VTIMEZONEs {s['timezones']}")

    print(f"{passes} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
