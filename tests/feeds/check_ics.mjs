// Reads an iCalendar file with ical.js (Mozilla's parser, the one Thunderbird uses; npm package from
// tests/browser/node_modules) and prints what it saw as JSON: every VEVENT's UID, SUMMARY, STATUS,
// SEQUENCE, DESCRIPTION, LOCATION, CATEGORIES, RELATED-TO, its start as a UTC instant resolved through the
// VTIMEZONE in the file, and for a recurring event its first occurrences (UTC).
// Usage: node tests/feeds/check_ics.mjs FILE   (exit 1 with the reason on stderr when ical.js fails)
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, "..", "browser", "node_modules", "ical.js");
const { default: ICAL } = await import(join(pkgDir, "dist", "ical.js"));
const version = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version;

const file = process.argv[2];
if (!file) {
  console.error("usage: node check_ics.mjs FILE");
  process.exit(2);
}

function fail(message) {
  console.error(`check_ics (ical.js): ${file}: ${message}`);
  process.exit(1);
}

let root;
try {
  root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
} catch (e) {
  fail(`ICAL.parse: ${e.message}`);
}
if (root.name !== "vcalendar") fail(`top component is ${root.name}`);

// The zones this file defines, so that TZID parameters resolve through them (not a built-in table).
for (const vtz of root.getAllSubcomponents("vtimezone")) {
  const tz = new ICAL.Timezone(vtz);
  ICAL.TimezoneService.register(tz.tzid, tz);
}

const utc = (time) => time.toJSDate().toISOString().replace(".000Z", "Z");
const events = [];
for (const vevent of root.getAllSubcomponents("vevent")) {
  let event;
  try {
    event = new ICAL.Event(vevent);
  } catch (e) {
    fail(`VEVENT: ${e.message}`);
  }
  const start = event.startDate;
  if (!start) fail(`${event.uid}: no DTSTART`);
  const tzid = vevent.getFirstProperty("dtstart").getParameter("tzid");
  if (tzid && !ICAL.TimezoneService.has(tzid)) fail(`${event.uid}: TZID ${tzid} has no VTIMEZONE`);
  const categories = [];
  for (const p of vevent.getAllProperties("categories")) categories.push(...p.getValues().map(String));
  const out = {
    uid: event.uid,
    summary: event.summary ?? "",
    status: String(vevent.getFirstPropertyValue("status") ?? ""),
    sequence: event.sequence ?? 0,
    description: event.description ?? "",
    location: event.location || null,
    related_to: vevent.getFirstPropertyValue("related-to") || null,
    categories,
    start_utc: start.isDate ? null : utc(start),
    start_date: start.isDate ? start.toString() : null,
  };
  if (event.isRecurring()) {
    const it = event.iterator();
    const occurrences = [];
    for (let next = it.next(); next && occurrences.length < 10; next = it.next()) {
      occurrences.push(next.isDate ? next.toString() : utc(next));
    }
    out.occurrences_utc = occurrences;
  }
  events.push(out);
}

process.stdout.write(JSON.stringify({ parser: `ical.js ${version}`, events }, null, 1) + "\n");
