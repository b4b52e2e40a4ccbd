#!/usr/bin/python3
"""Checks campaigns/schema.json: it is a valid draft-07 schema, every campaigns/*.yaml (and the
valid fuzz seeds) satisfies it, and documents the format forbids are rejected. With a loa binary
as second argument, also checks that `loa validate` agrees on every document used here.

Usage: check_schema.py SOURCE_DIR [LOA_BINARY]
Needs Debian's python3-jsonschema and python3-yaml.
"""
import copy
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML speaks YAML 1.1, where 2024-07-01 is a date and 19:00 is the number 1140. Editors
    (yaml-language-server) and yaml-cpp follow YAML 1.2's core schema: resolve only that."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern), first)


def construct_yaml12_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)  # a leading 0 is decimal in YAML 1.2, not octal


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", construct_yaml12_int)

VALID = """\
campaign:
  slug: hp-2024
  title: {vi: "Tháng hành động phòng, chống mua bán người", en: Anti-trafficking month}
  theme: Không để trẻ em nào bị bỏ lại phía sau
  period: {start: 2024-07-01, end: 2024-07-31}
  time_zone: Asia/Ho_Chi_Minh
  key_dates: [{date: 2024-07-30, name: "Ngày toàn dân phòng, chống mua bán người", weight: 3}]
  audiences: [{code: parents, name: Cha mẹ}]
  hotlines: [{number: 111, name: Tổng đài bảo vệ trẻ em, hours: 24/7}]
  planning: {separate_departments: false}
departments:
  - code: police
    name: Công an thành phố
    duties: [Điều tra, {vi: Kiểm tra biên giới, en: Inspect the border}]
activities:
  - {id: press, department: police, kind: press_conference, title: Họp báo, start: 2024-07-04T09:00,
     end: "2024-07-04 10:30", rrule: "FREQ=MONTHLY;BYDAY=1TH;COUNT=6", audiences: [parents]}
  - {id: border, department: police, kind: inspection, title: Kiểm tra, visibility: internal,
     all_day: {start: 2024-07-10, end: 2024-07-12}, time_zone: Asia/Bangkok}
outlets:
  - slug: thp-tv
    name: Truyền hình Hải Phòng
    kind: tv
    department: police
    time_zone: Asia/Ho_Chi_Minh
    languages: [vi, en]
    lead_time_hours: 48
    freeze_hours: 72
    dayparts:
      - {code: prime, name: Giờ vàng, days: [sat, sun], start: "19:00", end: "22:00", weight: 3}
      - {code: late, name: Đêm khuya, days: daily, start: 22:00, end: "24:00", weight: 0.5}
    break_clock:
      - {minute: 15, seconds: 60, dayparts: [prime]}
      - {at: "19:45", seconds: 120}
    blackouts:
      - {start: "2024-07-27T21:00", end: "2024-07-27 23:00", reason: {vi: Truyền hình trực tiếp, en: Live}}
      - {start: "2024-07-22T05:00", end: "2024-07-23T05:30"}
messages:
  - {id: call-111, department: police, text: {vi: Hãy gọi 111, en: Call 111}, channels: [tv, sms],
     duration_s: 30, priority: 8, flight: {start: 2024-07-01, end: 2024-07-31}, airings: 40,
     audiences: [parents], state: approved}
  - {id: spot-30-7, department: police, text: Không để trẻ em nào bị bỏ lại phía sau, channels: [tv],
     duration_s: 30, flight: {key_date: 2024-07-30, days_before: 7, days_after: 3}, airings_per_day: 4,
     airings_per_week: 20, max_per_outlet_per_day: 2, min_gap_minutes: 90, dayparts: [prime, late]}
"""


def broken(edit):
    doc = yaml.load(VALID, Loader=Yaml12Loader)
    edit(doc)
    return doc


def setitem(path, value):
    def edit(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit


def delitem(path):
    def edit(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return edit


# Each must be rejected by the schema (and by `loa validate`).
# Each must be accepted by the schema and by `loa validate`: what an editor's schema check flags,
# loa must refuse too, and the other way round.
ACCEPTED = {
    "rrule in lower case (RFC 5545 names are case-insensitive)":
        setitem(["activities", 0, "rrule"], "freq=monthly;byday=1th;count=6"),
    "a whole number written with .0": setitem(["messages", 0, "priority"], 8.0),
    "a title of 200 Vietnamese characters": setitem(["messages", 0, "title"], "Phòng chống " * 16 + "mua bán!"),
    "a text of 5000 characters": setitem(["messages", 0, "text"], {"vi": "Gọi 111. " * 555 + "Gọi 1", "en": "x"}),
}

BROKEN = {
    "unknown top-level key": setitem(["activites"], []),
    "unknown campaign key": setitem(["campaign", "titel"], "x"),
    "missing departments": delitem(["departments"]),
    "missing campaign slug": delitem(["campaign", "slug"]),
    "slug with capitals": setitem(["campaign", "slug"], "HP_2024"),
    "code too long": setitem(["departments", 0, "code"], "a" * 65),
    "text with empty vi": setitem(["campaign", "theme"], {"vi": "", "en": "x"}),
    "text of spaces only": setitem(["campaign", "theme"], {"vi": "  ", "en": "x"}),
    "plain text of spaces only": setitem(["campaign", "title"], " "),
    "message outlets empty": setitem(["messages", 0, "outlets"], []),
    "message dayparts empty": setitem(["messages", 0, "dayparts"], []),
    "zone counted the other way round": setitem(["campaign", "time_zone"], "Etc/GMT+7"),
    "zone of the server machine": setitem(["campaign", "time_zone"], "localtime"),
    "text without vi": setitem(["campaign", "theme"], {"en": "No child left behind"}),
    "text with a third language": setitem(["campaign", "theme"], {"vi": "x", "fr": "y"}),
    "text that is a list": setitem(["campaign", "title"], ["x"]),
    "date without zero padding": setitem(["campaign", "period", "start"], "2024-7-1"),
    "month 13": setitem(["campaign", "period", "end"], "2024-13-01"),
    "period without end": delitem(["campaign", "period", "end"]),
    "time 25:00": setitem(["outlets", 0, "dayparts", 0, "start"], "25:00"),
    "start at 24:00": setitem(["outlets", 0, "dayparts", 0, "start"], "24:00"),
    "date-time without minutes": setitem(["activities", 0, "start"], "2024-07-04T09"),
    "date-time with seconds": setitem(["activities", 0, "end"], "2024-07-04T10:30:00"),
    "activity with start and all_day": setitem(["activities", 0, "all_day"], {"start": "2024-07-04", "end": "2024-07-04"}),
    "activity with all_day and end": setitem(["activities", 1, "end"], "2024-07-12T10:00"),
    "activity without times": delitem(["activities", 0, "start"]),
    "unknown activity kind": setitem(["activities", 0, "kind"], "press-conference"),
    "unknown visibility": setitem(["activities", 0, "visibility"], "secret"),
    "rrule with RRULE: prefix": setitem(["activities", 0, "rrule"], "RRULE:FREQ=MONTHLY"),
    "audience listed twice": setitem(["activities", 0, "audiences"], ["parents", "parents"]),
    "unknown outlet kind": setitem(["outlets", 0, "kind"], "television"),
    "unknown language": setitem(["outlets", 0, "languages"], ["vi", "fr"]),
    "no languages": setitem(["outlets", 0, "languages"], []),
    "negative lead time": setitem(["outlets", 0, "lead_time_hours"], -1),
    "unknown weekday": setitem(["outlets", 0, "dayparts", 0, "days"], ["mon", "thur"]),
    "no weekdays": setitem(["outlets", 0, "dayparts", 0, "days"], []),
    "weight 0": setitem(["outlets", 0, "dayparts", 0, "weight"], 0),
    "weight as text": setitem(["outlets", 0, "dayparts", 0, "weight"], "3"),
    "break with minute and at": setitem(["outlets", 0, "break_clock", 0, "at"], "19:00"),
    "break without minute or at": delitem(["outlets", 0, "break_clock", 0, "minute"]),
    "minute 60": setitem(["outlets", 0, "break_clock", 0, "minute"], 60),
    "break of 0 seconds": setitem(["outlets", 0, "break_clock", 0, "seconds"], 0),
    "unknown channel": setitem(["messages", 0, "channels"], ["tv", "facebook"]),
    "no channels": setitem(["messages", 0, "channels"], []),
    "priority 11": setitem(["messages", 0, "priority"], 11),
    "priority 0": setitem(["messages", 0, "priority"], 0),
    "priority 2.5": setitem(["messages", 0, "priority"], 2.5),
    "quoted priority": setitem(["messages", 0, "priority"], "5"),
    "negative duration": setitem(["messages", 0, "duration_s"], -30),
    "unknown state": setitem(["messages", 0, "state"], "aproved"),
    "message without flight": delitem(["messages", 0, "flight"]),
    "departments not a list": setitem(["departments"], {"code": "police"}),
    "separate_departments as text": setitem(["campaign", "planning", "separate_departments"], "no"),
    "unknown planning key": setitem(["campaign", "planning", "separate_department"], True),
    "negative freeze_hours": setitem(["outlets", 0, "freeze_hours"], -1),
    "blackout without end": delitem(["outlets", 0, "blackouts", 1, "end"]),
    "blackout with a date only": setitem(["outlets", 0, "blackouts", 1, "start"], "2024-07-22"),
    "blackout with an unknown key": setitem(["outlets", 0, "blackouts", 1, "why"], "Bão"),
    "flight with key_date and start": setitem(["messages", 1, "flight", "start"], "2024-07-23"),
    "flight without key_date": delitem(["messages", 1, "flight", "key_date"]),
    "negative days_before": setitem(["messages", 1, "flight", "days_before"], -7),
    "days_after as text": setitem(["messages", 1, "flight", "days_after"], "3"),
    "negative airings_per_day": setitem(["messages", 1, "airings_per_day"], -1),
    "airings_per_week 2.5": setitem(["messages", 1, "airings_per_week"], 2.5),
    "negative max_per_outlet_per_day": setitem(["messages", 1, "max_per_outlet_per_day"], -2),
    "min_gap_minutes over a year": setitem(["messages", 1, "min_gap_minutes"], 527041),
    "message dayparts not a list": setitem(["messages", 1, "dayparts"], "prime"),
    "message daypart listed twice": setitem(["messages", 1, "dayparts"], ["prime", "prime"]),
    "message title of 201 characters": setitem(["messages", 0, "title"], "Phòng chống " * 16 + "mua bán!!"),
    "message English title of 201 characters": setitem(["messages", 0, "title"], {"vi": "x", "en": "y" * 201}),
    "message text of 5001 characters": setitem(["messages", 0, "text"], "Gọi 111. " * 555 + "Gọi 11"),
    "activity location of 201 characters": setitem(["activities", 0, "location"], {"vi": "Đ" * 201}),
    "activity description of 5001 characters": setitem(["activities", 0, "description"], "ạ" * 5001),
}


def errors_of(validator, doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))


def describe(error):
    return "/".join(map(str, error.absolute_path)) + ": " + error.message[:200]


def loa_validate(binary, text):
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", encoding="utf-8", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        return subprocess.run([binary, "validate", "--quiet", path], capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(path)


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    source = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) == 3 else None
    if binary and not os.access(binary, os.X_OK):
        print(f"no loa binary at {binary}: not cross-checking loa validate")
        binary = None

    with open(os.path.join(source, "campaigns", "schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    failures = []

    valid_files = sorted(glob.glob(os.path.join(source, "campaigns", "*.yaml")))
    valid_files += [os.path.join(source, "fuzz", "corpus", "campaign", name)
                    for name in ("minimal.yaml", "full.yaml", "outlet.yaml")]
    for path in valid_files:
        with open(path, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=Yaml12Loader)
        for error in errors_of(validator, doc):
            failures.append(f"{os.path.relpath(path, source)}: schema rejects a valid file: {describe(error)}")
    print(f"{len(valid_files)} valid files checked against the schema")

    valid = yaml.load(VALID, Loader=Yaml12Loader)
    for error in errors_of(validator, valid):
        failures.append(f"inline valid document: schema rejects it: {describe(error)}")
    if binary:
        result = loa_validate(binary, VALID)
        if result.returncode != 0:
            failures.append(f"inline valid document: loa validate rejects it:\n{result.stderr}")

    for name, edit in ACCEPTED.items():
        doc = broken(edit)
        for error in errors_of(validator, doc):
            failures.append(f"accepted document '{name}': schema rejects it: {describe(error)}")
        if binary:
            result = loa_validate(binary, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
            if result.returncode != 0:
                failures.append(f"accepted document '{name}': loa validate rejects it:\n{result.stderr}")
    print(f"{len(ACCEPTED)} other valid documents checked")

    for name, edit in BROKEN.items():
        doc = broken(edit)
        if not errors_of(validator, doc):
            failures.append(f"broken document '{name}': the schema accepts it")
        if binary:
            # Dump as YAML 1.2 would read it back: keep strings that look like numbers quoted.
            text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
            result = loa_validate(binary, text)
            if result.returncode != 1:
                failures.append(f"broken document '{name}': loa validate exits {result.returncode}, not 1")
    print(f"{len(BROKEN)} broken documents checked" + (" (schema and loa validate)" if binary else " (schema)"))

    for failure in failures:
        print("FAIL " + failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
