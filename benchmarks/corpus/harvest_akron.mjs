/**
 * Run on a ByronDDelpinal/akron-events checkout under node: record what its parsers find on its saved pages.
 *
 * akron-events (an Akron family-events site) tests each venue's scraper with node's test runner on
 * pages saved from the venue (scripts/tests/fixtures/*.html, *.ics, *.json), asserting how many events the
 * scraper's parser finds there. For each saved page below this harvester runs that test file as it
 * is (a failing test drops the page), then calls the same parser the test calls, on the same page,
 * with the same frozen date, and records the events it returns (title and start date) when their
 * number is the one the test asserts (a page whose test asserts each row or block, not a total, has
 * `count: null`: all the parser returns). The URL is the one the scraper fetches; `today` is the
 * test's frozen date, else the earliest event's date. A saved JSON page that is an extract of the
 * answer the scraper reads (a feed's event array without its envelope, a page's embedded event
 * objects) says so in `note`.
 *
 * Fixtures that are JavaScript objects written for the tests (scripts/tests/fixtures/*.js), detail
 * pages of one event, and text extracts (*-lines.json) are not listing pages and are not read.
 *
 * Usage (by benchmarks.corpus.build; dependencies come from `npm ci --ignore-scripts`)::
 *
 *     node harvest_akron.mjs CHECKOUT CLOCK > records.jsonl
 *
 * CLOCK (the day the saved pages last changed) is not needed here: each test freezes its own date.
 *
 * This file imports nothing from famact.
 */

import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const FIXTURES = 'scripts/tests/fixtures'

/** How the truth of a page whose test asserts no total is had (the peer's usual wording says a count). */
const UNCOUNTED = "the peer's node test for this saved page passes, asserting some of its events' rows (titles, "
  + 'dates, ids) but no total: all the events the parser it calls returns on the page'

/** The events of an iCalendar feed, as the scraper's own ICS path reads them (parseIcs + normaliseIcsEvent). */
const icsEvents = async (root, text) => {
  const { parseIcs, normaliseIcsEvent } = await peer(root, 'scripts/lib/ics.js')
  return parseIcs(text).map((ev) => normaliseIcsEvent(ev, { source: 'corpus' }))
}

// Each page: the test that asserts its parse, the saved page, the URL the scraper fetches, the
// test's frozen date (null when it has none), the count the test asserts, and the parser call.
const PAGES = [
  {
    spider: 'tangier', test: 'test-tangier.js', fixture: 'tangier-events.html', count: 3, frozen: null,
    url: 'https://www.thetangier.com/events',
    parse: async (root, text) => (await peer(root, 'scripts/scrape-tangier.js')).parseTangierEvents(text),
  },
  {
    spider: 'village_of_mogadore', test: 'test-village-of-mogadore.js', fixture: 'village-of-mogadore.ics',
    count: 10, frozen: null, url: 'https://mogadorevillage.org/events/list/?ical=1', parse: icsEvents,
  },
  {
    spider: 'hudson_bandstand', test: 'test-hudson-bandstand.js', fixture: 'hudson-bandstand-calendar.ics',
    count: 7, frozen: null, url: 'https://events.hudsonhappenings.org/calendar/1.ics', parse: icsEvents,
  },
  {
    spider: 'pegs_foundation', test: 'test-pegs-foundation.js', fixture: 'pegs-foundation.ics',
    count: 10, frozen: null, url: 'https://pegs.org/events/?ical=1', parse: icsEvents,
  },
  {
    spider: 'city_of_macedonia', test: 'test-city-of-macedonia.js', fixture: 'city-of-macedonia-calendar.html',
    count: 8, frozen: null, url: 'https://www.macrec.com/parks/calendar/-curm-8/-cury-2026',
    parse: async (root, text) =>
      (await peer(root, 'scripts/scrape-city-of-macedonia.js')).parseCalendarMonth(text, { month: 8, year: 2026 }),
  },
  {
    spider: 'music_western_reserve', test: 'test-music-western-reserve.js', fixture: 'music-western-reserve.html',
    count: 6, frozen: '2026-08-12T12:00:00Z', url: 'https://www.musicwr.org/',
    parse: async (root, text, now) => {
      const { parseConcerts, buildRow } = await peer(root, 'scripts/scrape-music-western-reserve.js')
      return parseConcerts(text).map((c) => buildRow(c, 2026, now)).filter(Boolean).map((b) => b.row)
    },
  },
  {
    spider: 'peninsula_library', test: 'test-peninsula-library.js', fixture: 'peninsula-library-agenda.html',
    count: 8, frozen: null,
    url: 'https://peninsulalibrary.org/calendar/action~agenda/page_offset~0/request_format~html/',
    // The agenda block dates only its end; the scraper's parseEventDateTime gives the start (and
    // none to the all-day 'Library Closed 2026', which the scraper skips: it stays out of the truth).
    parse: async (root, text) => {
      const { parseAgendaEvents, parseEventDateTime } = await peer(root, 'scripts/scrape-peninsula-library.js')
      return parseAgendaEvents(text).map((ev) => ({ ...ev, ...parseEventDateTime(ev.dataEnd, ev.timeText) }))
    },
  },
  {
    spider: 'stewarts_partner_events', test: 'test-stewarts-partner-events.js',
    fixture: 'stewarts-partner-events.html', count: 3, frozen: '2026-08-07',
    url: 'https://stewartscaringplace.org/community-partner-events/',
    parse: async (root, text) =>
      (await peer(root, 'scripts/scrape-stewarts-partner-events.js')).parseEvents(text, '2026-08-07').events,
  },
  {
    spider: 'village_of_peninsula', test: 'test-village-of-peninsula.js',
    fixture: 'village-of-peninsula-events.html', count: 2, frozen: null,
    url: 'https://villageofpeninsula-oh.gov/events/',
    parse: async (root, text) => (await peer(root, 'scripts/scrape-village-of-peninsula.js')).parseEventsHtml(text),
  },
  {
    // A saved JSON:API response; its URL is the one the scraper asks for on the capture day.
    spider: 'akron_ymca', test: 'test-akron-ymca.js', fixture: 'akron-ymca-jsonapi-2026-07-15.json',
    count: 5, frozen: null, url: ymcaUrl('2026-07-15'),
    parse: async (root, text) => (await peer(root, 'scripts/scrape-akron-ymca.js')).parseCollection(JSON.parse(text)),
  },
  {
    // A subset of the feed's rows in the feed's own envelope; the test's clock is before every show.
    spider: 'workz', test: 'test-workz.js', fixture: 'workz-events.json', count: 6, frozen: '2026-06-01T12:00:00Z',
    url: 'https://inffuse.eventscalendar.co/api/v0.1/projects/proj_Xg9tHnDTkG8hagUa4rHyz/data/public/events?app=calendar',
    parse: async (root, text, now) => {
      const { normaliseWorkzEvent } = await peer(root, 'scripts/scrape-workz.js')
      return JSON.parse(text).value.map((ev) => normaliseWorkzEvent(ev, { now })).filter(Boolean)
    },
  },
  {
    // The events page's "Upcoming Events" blocks, each as the dated occurrences the scraper makes of
    // it; the test asserts the three blocks, the open houses' seven last Sundays (the page states
    // the rule, not the dates) and the tea's one day, and no total.
    spider: 'longwood_manor', test: 'test-longwood-manor.js', fixture: 'longwood-manor-events.html',
    count: null, frozen: null, url: 'https://longwoodmanor.org/events',
    parse: async (root, text) => {
      const { extractEventBlocks, blockToOccurrences } = await peer(root, 'scripts/scrape-longwood-manor.js')
      return extractEventBlocks(text).flatMap(blockToOccurrences)
    },
  },
  {
    // The calendar's mec_list_load_month answer (a POST to admin-ajax.php): four club meetings.
    spider: 'bath_richfield_kiwanis', test: 'test-bath-richfield-kiwanis.js',
    fixture: 'bath-richfield-kiwanis-2026-07.json', count: 4, frozen: null,
    url: 'https://www.bathrichfieldkiwanis.org/wp-admin/admin-ajax.php',
    parse: async (root, text) =>
      (await peer(root, 'scripts/scrape-bath-richfield-kiwanis.js')).parseEvents(JSON.parse(text).html),
  },
  {
    // A subset of the Revize feed's rows (the feed is a bare array); the test checks every row's
    // title against its keep/drop lists and asserts no total: all rows, as the scraper reads them.
    spider: 'richfield_township', test: 'test-richfield-township.js', fixture: 'richfield-township.json',
    count: null, frozen: null,
    url: 'https://richfield-twp.org/_assets_/plugins/revizeCalendar/calendar_data_handler.php'
      + '?webspace=richfieldtwpoh&relative_revize_url=//webgen1.revize.com&protocol=https:',
    parse: async (root, text) => {
      const { revizeIsoToUtc } = await peer(root, 'scripts/scrape-richfield-township.js')
      return JSON.parse(text).map((row) => ({ title: row.title, start_at: revizeIsoToUtc(row.start) }))
    },
  },
  {
    // The day view of one date: the test asserts its three events.
    spider: 'city_of_cuyahoga_falls', test: 'test-cuyahoga-falls.js', fixture: 'city-of-cf-day-20261008.html',
    count: 3, frozen: null, url: 'https://www.cityofcf.com/calendar-field_cal_date/day/20261008',
    parse: async (root, text) =>
      (await peer(root, 'scripts/scrape-city-of-cuyahoga-falls.js')).occurrencesForDay('2026-10-08', text),
  },
  {
    // The Wix event objects of the page's warmup data (an extract); the test sorts all nine into
    // five public and four members-only ones: all nine, as normaliseWixEvent maps them.
    spider: 'bath_business_assoc', test: 'test-bath-business-assoc.js', fixture: 'bath-business-events.json',
    count: 9, frozen: null, url: 'https://www.bathbusinessassociation.com/event-list',
    note: "an extract: the Wix event objects of the page's embedded warmup data, not the page's bytes",
    parse: async (root, text) => {
      const { normaliseWixEvent } = await peer(root, 'scripts/lib/wix-events.js')
      const opts = { source: 'bath_business_assoc', siteBaseUrl: 'https://www.bathbusinessassociation.com' }
      return JSON.parse(text).map((ev) => normaliseWixEvent(ev, opts))
    },
  },
  {
    // The `upcoming` items of the Squarespace feed (an extract); the test sorts all five by county.
    spider: 'fair_housing_akron', test: 'test-fair-housing-akron.js', fixture: 'fair-housing-akron.json',
    count: 5, frozen: null, url: 'https://www.fairhousingakron.org/events?format=json&view=upcoming',
    note: "an extract: the items of the feed's `upcoming` array, not the whole answer",
    parse: async (root, text) => {
      const { normaliseSquarespaceEvent } = await peer(root, 'scripts/lib/squarespace.js')
      const { SOURCE_KEY, mapTags } = await peer(root, 'scripts/scrape-fair-housing-akron.js')
      return JSON.parse(text).map((ev) => normaliseSquarespaceEvent(ev, { source: SOURCE_KEY, mapTags }))
    },
  },
  {
    // Seven events of the ChamberMate feed's data.events (an extract); the test asserts rows of
    // several of them (ids, dates, venues) and no total: every row toEventRow builds.
    spider: 'explore_hudson', test: 'test-explore-hudson.js', fixture: 'explore-hudson-events.json',
    count: null, frozen: null,
    url: 'https://api.chambermate.com/core/biz/webPresence/getEventsInfo?websiteShorthand=explorehudson'
      + '&websiteDomain=www.explorehudson.com&isPortal=false&includeCategories=true&includePastEvents=false&rowCount=200',
    note: "an extract: the events of the feed's data.events array, not the whole answer",
    parse: async (root, text) => {
      const { buildLocationIndexes, toEventRow } = await peer(root, 'scripts/scrape-explore-hudson.js')
      const events = JSON.parse(text)
      const indexes = buildLocationIndexes(events)
      return events.map((ev) => toEventRow(ev, indexes, 'in')).filter(Boolean)
    },
  },
]

/** The JSON:API query scrape-akron-ymca.js's fetchAllEvents builds on ``day``. */
function ymcaUrl(day) {
  const params = new URLSearchParams()
  params.set('filter[status]', '1')
  params.set('filter[future][condition][path]', 'field_event_dates.end_value')
  params.set('filter[future][condition][operator]', '>')
  params.set('filter[future][condition][value]', `${day}T00:00:00`)
  params.set('sort', 'field_event_dates.value')
  params.set('include', 'field_event_location,field_event_image,field_event_image.field_media_image')
  params.set('page[limit]', '50')
  return `https://www.akronymca.org/jsonapi/node/event?${params.toString()}`
}

const peer = (root, path) => import(pathToFileURL(join(root, path)).href)

/** The calendar day of an instant in Akron (the scrapers store UTC instants of Eastern times). */
const easternDay = (iso) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(iso))

/** Title and start day of one parsed event, whichever of the scrapers' field names it uses. */
const item = (ev) => {
  const ymd = ev.year && ev.month && ev.day
    ? `${ev.year}-${String(ev.month).padStart(2, '0')}-${String(ev.day).padStart(2, '0')}`
    : null
  const local = ev.startRaw ? String(ev.startRaw).slice(0, 10) : null // offset-aware Eastern time
  const day = ev.dateYmd || ev.dateIso || ev.date || ymd || local || (ev.start_at && easternDay(ev.start_at)) || ev.dateStr
  return { title: ev.title || ev.name || null, start: day || null }
}

/** Why the peer's test of this page does not vouch for it (null when it passes). */
const failure = (root, page) => {
  const test = join('scripts/tests', page.test)
  if (!existsSync(join(root, test))) return `the peer has no test ${page.test}`
  const run = spawnSync(process.execPath, ['--test', test], { cwd: root, encoding: 'utf8' })
  if (run.status === 0) return null
  const counts = (run.stdout || '').match(/# (pass|fail|cancelled) \d+/g) || []
  return `the peer's test ${page.test} fails (${counts.join(', ')})`
}

const record = async (root, page) => {
  const path = join(FIXTURES, page.fixture)
  const base = { test: join('scripts/tests', page.test), spider: page.spider, reads: [{ path, url: page.url }] }
  const failed = failure(root, page)
  if (failed) return { ...base, error: failed }
  const now = page.frozen ? new Date(page.frozen) : new Date()
  const items = (await page.parse(root, readFileSync(join(root, path), 'utf8'), now)).map(item)
  if (page.count !== null && items.length !== page.count) {
    return { ...base, error: `the parser found ${items.length} events, the test asserts ${page.count}` }
  }
  const starts = items.map((i) => i.start).filter(Boolean).sort()
  const today = page.frozen ? page.frozen.slice(0, 10) : starts[0] || null
  const own = { ...(page.note ? { note: page.note } : {}), ...(page.count === null ? { truth: UNCOUNTED } : {}) }
  return { ...base, today, items, ...own }
}

const main = async (root) => {
  if (!existsSync(join(root, 'node_modules'))) {
    const install = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, encoding: 'utf8' })
    if (install.status !== 0) throw new Error(`npm ci failed in ${root}: ${install.stderr.slice(-500)}`)
  }
  process.chdir(root)
  for (const page of PAGES) {
    let out
    try {
      out = await record(root, page)
    } catch (err) { // a peer parser that throws: recorded, not fatal
      out = { test: join('scripts/tests', page.test), spider: page.spider, reads: [], error: String(err).slice(0, 300) }
    }
    process.stdout.write(JSON.stringify(out) + '\n')
  }
}

await main(process.argv[2])
