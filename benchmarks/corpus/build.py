"""Build the real-page corpus from public projects' saved test pages: City Scrapers and others.

The pages are third parties' files, so the corpus is never committed: this builder makes it again,
the same every time, from snapshots of the repositories in ``REPOS`` and ``PEERS`` at their pinned
commits. For each City Scrapers repository (``REPOS``) it runs the peer's own tests under the
peer's dependencies (``harvest_peer.py``, in a separate interpreter) to learn which saved page each
test parses, at which URL and frozen date, and which items the peer's spider found there. That is
the truth. A contributor's fork of a City Scrapers repository (listed in ``FORK_SPIDERS``) is read
the same way but gives only the spiders it adds: its other pages are second saves of its
upstream's, which would either duplicate a page or, read at one URL with other truth, drop it.
A listed repository's unmerged pull requests and branches (``BRANCH_SPIDERS``, each a pinned
commit) are read the same way, for the spiders they add, only those spiders' tests imported.
Other projects (``PEERS``) each have their own harvester, which gets the same from the
peer's tests and parsers:

- simonrw/whatson (Apache-2.0, UK theatre listings; ``harvest_whatson.py``): its venue tests run
  as written, under the peer python, with the clock at the day its saved pages last changed; a
  venue's listing saved over several pages gives a record per page (the shows the fetcher yields
  after downloading it), and one page per venue is kept like one per spider (page 1, as all tie).
  ``today`` is the earliest show's date (the tests freeze none).
- fawkesley/liverpool-events-scrapers (BSD-2-Clause, ScraperWiki's 2013 Liverpool talks and events;
  ``harvest_liverpool.py``): each venue's test class in ``tool/tests.py`` runs as written (Python 2
  code, under the peer python with three unused imports stubbed), the clock at the day its saved
  pages last changed; the rows the venue's listing parser returned on its saved page are the truth,
  at the scraper's own URL. A parser the test also hands a venue filter is not read.
- ByronDDelpinal/akron-events (MIT, Akron family events; ``harvest_akron.mjs``, under node, after
  ``npm ci --ignore-scripts`` in the checkout): for each saved listing page (html, ics, json) its
  node test must pass, and the parser that test calls, run on the page with the test's frozen
  date, must return the number of events the test asserts (all it returns where the test asserts
  each row or block instead of a total: Richfield's feed rows, Explore Hudson's events, Longwood
  Manor's blocks). Where the scraper then drops events for its own readers (members-only, club
  business, another county), the truth keeps them: the page lists them. ``today`` is the test's
  frozen date, else the earliest event's. Three saved JSON pages are extracts of an answer (a Wix
  page's embedded events, a Squarespace feed's ``upcoming`` items, a ChamberMate feed's events):
  their provenance says so (``page``). The fixtures written as JavaScript objects are not pages:
  not read, nor are Rock Mill's and Lalas' pages, whose tests' events are weekly schedules
  expanded into dates (under a quarter of them on the page: the rule below would drop them).
- amac0/TheatreScraper (MIT, London theatres' saved "what's on" pages, nine in corpus v8;
  ``harvest_theatrescraper.py``): each theatre's test (``tests/scrapers/test_THEATRE.py``) runs as
  written with its parser wrapped, the clock at the day the pages were committed; when it passes
  (a skipped test vouches for nothing), the dated shows the parser returned to the test's own call
  on the saved page are the truth, if it dated at least half of them (the National Theatre's parser
  dates two of nine: no page). ``today`` is the earliest show's date (the tests freeze none).
- MuayChaiLatte/Cold-Lead-Generator (MIT, Wilton's Music Hall's saved page, corpus v8;
  ``harvest_wiltons.py``): its test, asserting the shows equal a CSV, runs as written the same way.

Each new page's provenance says how its truth was obtained (``truth``).

A page enters the corpus when:
- it is a listing the analyzer can read (html, json, ics or xml; not pdf or e-mail);
- the peer found at least two items on it, with a start date;
- at least half of those items have their title shown on the page, about as often as the peer
  lists it (titles made up by the spider, like a schedule expanded into dates, are not on the
  page and cannot be found by anyone reading it);
- no other test reads the same bytes, or the same URL, with different truth.
One page per spider (the one covering most of its items).

The split is by site and fixed by a hash of the site name (one in three held out); pages whose
results were read while tuning before this builder existed are pinned to dev.

    python -m benchmarks.corpus.build --mirrors DIR --peer-python VENV/bin/python --out CORPUS

``DIR`` holds one git directory per repository, named ``owner+name`` (bare, or with a ``repo``
subdirectory that is one or holds a clone's ``.git``;
``git clone --mirror https://github.com/OWNER/NAME DIR/OWNER+NAME`` makes one).
``VENV`` is a virtualenv with the peers' test dependencies (``peer-requirements.txt``); node
and npm (with the npm registry reachable) run akron-events' parsers. ``make corpus MIRRORS=DIR``
makes the virtualenv and builds into ``.corpus/``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).parent
HARVEST = HERE / "harvest_peer.py"
REQUIREMENTS = Path(__file__).with_name("peer-requirements.txt")

# Held out for the team's own measurement: never corpus, never fixtures.
FORBIDDEN = {
    "prestomation/206events",
    "City-Bureau/city-scrapers",
    "City-Bureau/city-scrapers-det",
    "City-Bureau/city-scrapers-cle",
    "City-Bureau/city-scrapers-atl",
    "Over-the-Edge-Newspaper-Society/EventScrape",
    "scrapinghub/extruct",
}

# owner/name -> (commit, license): the snapshots the corpus was built from (all MIT, the City
# Scrapers template's license). A new commit here is a new corpus: record it in the benchmark JSON.
REPOS: dict[str, tuple[str, str]] = {
    "City-Bureau/city-scrapers-akr": ("3719662cdd64710978b7a7c9a073316b52448fbd", "MIT"),
    "City-Bureau/city-scrapers-charnc": ("003216108d791a51a4e75d3929d1ccaf017789fd", "MIT"),
    "City-Bureau/city-scrapers-colgo": ("8b0f9619d6e1068da2bece5e8f382ca7b8b9b305", "MIT"),
    "City-Bureau/city-scrapers-coloh": ("8e2c109cf14fa6424eaebcc1460b7190e9a38e5f", "MIT"),
    "City-Bureau/city-scrapers-dallas": ("de0682f71a8b34b382c2a80332ca34a303b14bf9", "MIT"),
    "City-Bureau/city-scrapers-fresno": ("894e5339bc5363133591e1ee3b01798c5496b490", "MIT"),
    "City-Bureau/city-scrapers-grand-rapids": ("77c1da36878159c54bd24fed1597f6562ded59b3", "MIT"),
    "City-Bureau/city-scrapers-indianapolis": ("486a76374edd8d120df8e6780eebba8a97053023", "MIT"),
    "City-Bureau/city-scrapers-kancit": ("5a33ef41b9255fafea148bbca0885d50878b35b5", "MIT"),
    "City-Bureau/city-scrapers-lascruc": ("8ddfe1334009dbacb4ebbcae8cbd4f3c3c05b2de", "MIT"),
    "City-Bureau/city-scrapers-minn": ("deb7f2e9449c970e701e192107495ee5e9f21d14", "MIT"),
    "City-Bureau/city-scrapers-new-brunswick": ("f5749f6799e6f260ebcb73d266b5eb66702b50de", "MIT"),
    "City-Bureau/city-scrapers-newark": ("c749ee10c758b3f40fbf6fe5f4738a97a632ad08", "MIT"),
    "City-Bureau/city-scrapers-omaha": ("3180913a58ed6e3f85fc294f00b9e617197a92aa", "MIT"),
    "City-Bureau/city-scrapers-philly": ("750ed5f42e586de400c719b39f4bb36b0a080a0f", "MIT"),
    "City-Bureau/city-scrapers-san-diego": ("afd71b14a3d8dfb90826c9b1d09ed1072dfae9bb", "MIT"),
    "City-Bureau/city-scrapers-spokane": ("aee243634dfc522455bb099273768350a314293e", "MIT"),
    "City-Bureau/city-scrapers-tulsa": ("0bb8a2646621e1e8ceb9266bcc2e5d3ee399b29d", "MIT"),
    "City-Bureau/city-scrapers-wichita": ("98740723a851f4696eb99ff36838478e40f1e841", "MIT"),
    "msrezaie/city-scrapers-atconj": ("8ac11db31cbb2c1ef6c05c5dfb5a7caa10a52b31", "MIT"),
    "msrezaie/city-scrapers-bismarck": ("0eb95459ba19f4bb54d6b7f4a89122bc56e5c645", "MIT"),
    "msrezaie/city-scrapers-fortx": ("2af6f6bfee753832b9090933239a95b25d8b44c2", "MIT"),
    "msrezaie/city-scrapers-losca": ("67bbf93062abd56b3fc555a4c6a079fc6eda0862", "MIT"),
    "msrezaie/city-scrapers-wichita": ("c04cb39b7befcd12e35cde1bc3be0d39b2e793e1", "MIT"),
    "stl-public-meetings/city-scrapers-stl": ("2ad25a3800357215ffc1fa9f5defffdec7d66fa4", "MIT"),
    "washabstract/city-scrapers-ca": ("eb12d1274c22c52348ddad0cabc11434fe080ed9", "MIT"),
    "woodyeagle/city-scrapers-pitt": ("498b271070d90fb76a41fde59a24ac3e83ff0619", "MIT"),
    # Contributors' forks, read only for the spiders they add (FORK_SPIDERS).
    "akhhanna20/city-scrapers-losca": ("773902757d06e6412f596f95310c6b326cc2e556", "MIT"),
    "cruznunez/city-scrapers-cinoh": ("8da3930ee30fd73b8cb8f95d514c83deaeb62cc4", "MIT"),
    "danwarren/city-scrapers-pitt": ("4f86d0160cbdf260fc8021c7206724340512c15f", "MIT"),
    "maxachis/city-scrapers-pitt": ("63150a522a512d35b64e4068e25169cf46875598", "MIT"),
    "vsspnkkvr/city-scrapers-cinoh": ("8fd3cbdb8c7f91f8b1715999e0abd6861766997e", "MIT"),
}

# A contributor's fork mostly repeats its upstream's spiders with other saves of the same pages:
# one URL read with two truths drops both pages, and the same bytes would move an existing page
# to the fork. So a fork gives only the spiders no other source has.
FORK_SPIDERS: dict[str, set[str]] = {
    "akhhanna20/city-scrapers-losca": {
        "losca_City_Planning",
        "losca_Homeless_Services",
        "losca_Public_Works",
    },
    "cruznunez/city-scrapers-cinoh": {"cinoh_Civil_Service", "cinoh_Hamilton_Commission"},
    "danwarren/city-scrapers-pitt": {"alle_port_authority"},
    "maxachis/city-scrapers-pitt": {"pa_spc", "pitt_public_algorithms_task_force"},
    "vsspnkkvr/city-scrapers-cinoh": {"cinoh_Board_of_Ed"},
}

# Other commits of a repository in ``REPOS`` (its unmerged pull requests and branches, or a
# fork's other branches), each read, like a fork, only for the spiders it adds, which no other
# source has: (repo, commit) -> spiders. Its licence is the repository's.
#
# Each spider here had its test pass under the peer python at that commit, and its page was kept
# by the rules below. Minneapolis' pull request 9 adds 58 spiders, each reading the city's one
# calendar API for its own board: only the two saved as JSON are listed (the rest are JSON saved
# under .html names), so one API does not become a third of the held-out split. Grand Rapids' pull
# request 13 has 24 boards, but all but one read one of two calendar URLs, each with other truth.
BRANCH_SPIDERS: dict[tuple[str, str], set[str]] = {
    # Akron pull request 9 (summit-county spiders)
    ("City-Bureau/city-scrapers-akr", "c957443f9e7963c12ec14e4211666780b3b3f43d"): {
        "akr_downtown_partnership",
        "summ_county_council",
        "summ_land_bank",
        "summ_library",
    },
    # Fresno pull request 98
    ("City-Bureau/city-scrapers-fresno", "20fdda4a185fd6ab534f2b9233f0c7b3f197ced3"): {
        "san_joaquin_river_conservancy"
    },
    # Grand Rapids pull request 13: the school board, the one not read from the city's calendar
    ("City-Bureau/city-scrapers-grand-rapids", "eacdf49da821d92ff4a1987ea22367aea11673e5"): {
        "grand_rapids_public_school_board"
    },
    # Minneapolis pull request 9
    ("City-Bureau/city-scrapers-minn", "b8a6254941a41733ebff461dc30783b696f3ffec"): {
        "minn_bac",
        "minn_clric",
    },
    # Omaha pull request 63
    ("City-Bureau/city-scrapers-omaha", "f9fe826742eacf8d0fb13cf4cb991ed220a62abd"): {
        "omaha_examining",
        "omaha_mud",
    },
    # A fork's branches, one spider each
    ("cruznunez/city-scrapers-cinoh", "44aa7b9afcf586cba20c277c526392208068edba"): {
        "cinoh_metro_housing_authority"
    },
    ("cruznunez/city-scrapers-cinoh", "1579abf6fa31342206aaad6328f5c669d08b6dc9"): {
        "cinoh_hamilton_solid_waste"
    },
    ("maxachis/city-scrapers-pitt", "a8d27fd1646c496d47595dcafafcfe9ec28539bc"): {"pitt_water"},
    # St. Louis pull request 113
    ("stl-public-meetings/city-scrapers-stl", "d50b2eec786dda3936a59cc8d38362e7da5e1933"): {
        "clay_uniform_retirement"
    },
    # Los Angeles County: one Granicus city per branch (pull requests 54-70), and pull requests 30
    # and 31, whose airport and water-and-power pages the pinned commit's tests cannot use
    ("washabstract/city-scrapers-ca", "3e072ec6911056c4b37567bcf6a9d9527ab79bf1"): {"manhattanbeach"},
    ("washabstract/city-scrapers-ca", "dcac37979cb609086f2eb77183ba6fbe27e1555f"): {"lapuente"},
    ("washabstract/city-scrapers-ca", "611583b61fcdd6db0200b2fe3b40fcb063c66d17"): {"hidden_hills"},
    ("washabstract/city-scrapers-ca", "1d0784973f1530668e7bc0682b2c47d4a2a45c21"): {"la_habra_heights"},
    ("washabstract/city-scrapers-ca", "a1eb166d9166d79d4178d4ee1ff7d1508326c305"): {"west_lake_village"},
    ("washabstract/city-scrapers-ca", "90867f667cd2d9dd6d11eb7b24b69fbd88934b5e"): {"la_canada_flintridge"},
    ("washabstract/city-scrapers-ca", "50e71db9fa55d2ae973d8fcce8a853dc5620f2fc"): {"lomita"},
    ("washabstract/city-scrapers-ca", "ded2d6b9bcae24b4ada39a4f444db94c1fa089e6"): {"rosemead"},
    ("washabstract/city-scrapers-ca", "a160c785534fbe3f7816564c35cc7dd09fcb71d0"): {"norwalk"},
    ("washabstract/city-scrapers-ca", "ddc7ab00e08105b4b1dd1cd28cd781241030e254"): {"palmdale"},
    ("washabstract/city-scrapers-ca", "efcf2dc5bb1314ea6ea12372fc18ba91622e5be3"): {"lawa"},
    ("washabstract/city-scrapers-ca", "6a0bc4ba12c8f1aceb59e48ae1ff96ab2dfab86d"): {"ladwp"},
}


@dataclass(frozen=True)
class Peer:
    """A project other than City Scrapers whose tests parse saved pages, read by its own harvester.

    Its harvester (a file next to this one) runs the peer's own tests or parsers on the peer's
    saved pages and prints records like ``harvest_peer.py`` does, one per saved page.
    """

    commit: str
    license: str
    harvester: str  # harvest_*.py runs under the peer python, harvest_*.mjs under node
    prefix: str  # page ids are PREFIX-SPIDER
    fixtures: str  # the folder of saved pages: its last change before ``commit`` sets the clock
    truth: str  # how the truth was obtained, for each page's provenance


PEERS: dict[str, Peer] = {
    "MuayChaiLatte/Cold-Lead-Generator": Peer(
        "525b494f13c56ab8d8947307b96ff78a062b4318",
        "MIT",
        "harvest_wiltons.py",
        "coldlead",
        "tests/test_base_parser",
        "the peer's test (tests/test_base_parser.py) passes as written, the clock at the page's commit date, "
        "asserting the shows equal its CSV; its events are the shows the parser returned to that test",
    ),
    "amac0/TheatreScraper": Peer(
        "56bae98ea97b75ba8f0acecaa1cafc61681b3b9f",
        "MIT",
        "harvest_theatrescraper.py",
        "theatre",
        "tests/fixtures",
        "the peer's test for this theatre (tests/scrapers/test_THEATRE.py) passes as written, the clock at "
        "the pages' commit date; its events are the dated shows the theatre's parser returned to that test "
        "on this saved page",
    ),
    "ByronDDelpinal/akron-events": Peer(
        "de8800dfd1ce6ded19deb8b897805371420ae061",
        "MIT",
        "harvest_akron.mjs",
        "akron",
        "scripts/tests/fixtures",
        "the peer's node test for this saved page passes, and the parser it calls, run on the page with "
        "the test's frozen date, returns the number of events the test asserts: those events",
    ),
    "fawkesley/liverpool-events-scrapers": Peer(
        "63fc01fbf7072ea1065527cee52ca50a86c11c77",
        "BSD-2-Clause",
        "harvest_liverpool.py",
        "liverpool",
        "tool/sample_data",
        "the peer's test class for this saved page (tool/tests.py) passes as written, the clock at the "
        "pages' save date; its events are the rows the listing parser that test calls returned on the page",
    ),
    "simonrw/whatson": Peer(
        "dc313ae70a12c77462363118aa843cc943db6f26",
        "Apache-2.0",
        "harvest_whatson.py",
        "whatson",
        "testing/responses",
        "the peer's test (testing/test_ingest.py) run as written, its venue fetcher's shows on this "
        "saved page (the shows yielded after this page's download), the clock at the pages' save date",
    ),
}

# Spiders whose per-page results were read while tuning on earlier, lost builds of the corpus:
# they stay in dev whatever the hash says, so the held-out part holds nothing anyone has seen.
SEEN = {
    "la_county_bos",
    "santa_monica",
    "bisnd_bps",
    "akr_public_schools",
    "newbnj_middlesex_pb",
}

KINDS = {".html": "html", ".htm": "html", ".json": "json", ".ics": "ics", ".xml": "xml", ".rss": "xml"}
SPLIT_SALT = "famact-corpus-v3:"


@dataclass
class Candidate:
    repo: str
    commit: str
    spider: str
    test: str
    path: str
    url: str
    today: str
    items: list[dict[str, Any]]
    body: bytes
    covered: float
    note: str | None = None  # what the saved page is, when it is not a whole answer (an extract)
    truth: str | None = None  # how this page's truth was had, when not as its peer's others were


def git_dir(mirrors: Path, repo: str) -> Path:
    """The git directory of ``repo``'s snapshot: bare, in a ``repo`` folder, or that folder's ``.git``."""
    base = mirrors / repo.replace("/", "+")
    for candidate in (base / "repo" / ".git", base / "repo"):
        if candidate.exists():
            return candidate
    return base


def checkout(gitdir: Path, commit: str, dest: Path) -> None:
    """Write the tree at ``commit`` under ``dest``; blobs missing from a partial snapshot are skipped."""
    git = ["git", "--git-dir", str(gitdir)]
    listing = subprocess.run([*git, "ls-tree", "-r", "-z", commit], check=True, capture_output=True).stdout
    for entry in filter(None, listing.split(b"\0")):
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind != b"blob" or mode == b"120000":
            continue
        blob = subprocess.run([*git, "cat-file", "blob", sha.decode()], check=False, capture_output=True)
        if blob.returncode:
            continue
        target = dest / path.decode()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)


def page_text(body: bytes, kind: str) -> str:
    text = body.decode("utf-8", "replace")
    if kind == "html":
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"<[^>]+>", " ", text)
    elif kind == "json":
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False)
    return norm(html.unescape(text))


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().lower()


def coverage(items: list[dict[str, Any]], text: str) -> float:
    """Share of the items whose title the page shows, counting each title at most as often as shown."""
    wanted = Counter(norm(i["title"]) for i in items)
    shown = sum(min(k, text.count(t)) for t, k in wanted.items() if t)
    return shown / len(items) if items else 0.0


def platform_of(url: str, body: bytes, kind: str) -> str:
    host = urlsplit(url).netloc.lower()
    low = body[:400_000].decode("utf-8", "replace").lower()
    if kind == "ics":
        return "ics"
    if kind == "xml":
        return "rss" if ("<rss" in low or "<feed" in low) else "xml"
    for name, marks in (
        ("legistar", ("legistar.com",)),
        ("granicus", ("granicus.com",)),
        ("escribe", ("escribemeetings",)),
        ("municode", ("municodemeetings",)),
        ("iqm2", ("iqm2.com",)),
        ("primegov", ("primegov.com",)),
        ("civicclerk", ("civicclerk",)),
        ("boarddocs", ("boarddocs",)),
        ("civicplus", ("civicplus", "/agendacenter")),
        ("the-events-calendar", ("tribe-events",)),
        ("squarespace", ("squarespace",)),
    ):
        if any(m in host or m in low for m in marks):
            return name
    if kind == "json":
        return "json-api"
    if "wp-content" in low:
        return "wordpress"
    if "drupal" in low:
        return "drupal"
    return "custom"


def site_of(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def split_of(site: str, spider: str) -> str:
    if spider in SEEN:
        return "dev"
    digest = int(hashlib.sha256((SPLIT_SALT + site).encode()).hexdigest()[:8], 16)
    return "heldout" if digest % 3 == 0 else "dev"


def harvest(peer_python: str, tree: Path, spiders: set[str] | None = None) -> list[dict[str, Any]]:
    """The records of the checkout's tests: of all of them, or only of ``spiders``' (faster)."""
    return run_harvester([peer_python, str(HARVEST), str(tree), *sorted(spiders or ())])


def saved_on(gitdir: Path, commit: str, folder: str) -> str:
    """The day the peer last changed its saved pages before ``commit``: the clock its tests assume."""
    git = ["git", "--git-dir", str(gitdir), "log", "-1", "--format=%as", commit, "--", folder]
    return subprocess.run(git, check=True, capture_output=True, text=True).stdout.strip()


def harvest_other(peer: Peer, peer_python: str, tree: Path, clock: str) -> list[dict[str, Any]]:
    script = HERE / peer.harvester
    runtime = ["node"] if script.suffix == ".mjs" else [peer_python]
    return run_harvester([*runtime, str(script), str(tree), clock])


def run_harvester(command: list[str]) -> list[dict[str, Any]]:
    run = subprocess.run(command, check=False, capture_output=True, text=True, timeout=1800)
    records = []
    for line in run.stdout.splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    return records


def missing_modules(records: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Modules the peer's tests could not import, with the tests that needed them.

    A test that fails on a missing dependency is dropped like a broken one, so a dependency left
    out of ``peer-requirements.txt`` silently loses its pages (icalendar and pdfplumber cost
    two dev pages once): the build names them so the requirements can be completed.
    """
    missing: dict[str, list[str]] = {}
    for rec in records:
        found = re.match(r"ModuleNotFoundError: No module named '([^']+)'", rec.get("error") or "")
        if found:
            missing.setdefault(found.group(1), []).append(rec["test"])
    return missing


def candidates(repo: str, commit: str, tree: Path, records: list[dict[str, Any]]) -> list[Candidate]:
    found = []
    for rec in records:
        items = [i for i in rec.get("items", []) if i.get("start")]
        if rec.get("error") or not rec.get("today") or len(items) < 2:
            continue
        best: Candidate | None = None
        for read in rec["reads"]:
            kind = KINDS.get(Path(read["path"]).suffix.lower())
            if not kind or not read.get("url"):
                continue
            body = (tree / read["path"]).read_bytes()
            cov = coverage(items, page_text(body, kind))
            if best is None or cov > best.covered:
                spider = rec.get("spider") or Path(rec["test"]).stem.removeprefix("test_")
                best = Candidate(
                    repo,
                    commit,
                    spider,
                    rec["test"],
                    read["path"],
                    read["url"],
                    rec["today"],
                    items,
                    body,
                    cov,
                    rec.get("note"),
                    rec.get("truth"),
                )
        if best and best.covered >= 0.5:
            found.append(best)
    return found


def spiders_of(repo: str, commit: str) -> set[str] | None:
    """The spiders a source is read for: a branch's or a fork's own, or ``None`` for all of them."""
    if (repo, commit) in BRANCH_SPIDERS:
        return BRANCH_SPIDERS[(repo, commit)]
    return FORK_SPIDERS.get(repo)


def wanted(c: Candidate) -> bool:
    """A fork's or a branch's page is kept only for a spider it adds; other sources' pages all are."""
    only = spiders_of(c.repo, c.commit)
    return only is None or c.spider in only


def sources() -> list[tuple[str, str]]:
    """Every (repository, commit) the corpus is read from, in one fixed order."""
    return sorted(
        [(repo, commit) for repo, (commit, _) in REPOS.items()]
        + list(BRANCH_SPIDERS)
        + [(repo, peer.commit) for repo, peer in PEERS.items()]
    )


def select(found: list[Candidate]) -> list[Candidate]:
    # A page that several spiders read with different truth is one listing that each spider
    # filters to its own board (or renames): no reader of the page could tell which truth is
    # meant, so none of them is kept. The same page saved twice has different bytes, one URL.
    truths: dict[str, set[str]] = {}
    for c in found:
        truth = json.dumps(sorted(i["title"] for i in c.items))
        for key in (hashlib.sha256(c.body).hexdigest(), c.url):
            truths.setdefault(key, set()).add(truth)
    best: dict[tuple[str, str], Candidate] = {}
    for c in found:
        if len(truths[hashlib.sha256(c.body).hexdigest()]) > 1 or len(truths[c.url]) > 1:
            continue
        key = (c.repo, c.spider.split("_detail")[0])
        if key not in best or (c.covered, len(c.items)) > (best[key].covered, len(best[key].items)):
            best[key] = c
    # One page per body: two repos' forks of one spider keep the first.
    seen: set[str] = set()
    kept = []
    for c in sorted(best.values(), key=lambda c: (c.repo, c.spider)):
        digest = hashlib.sha256(c.body).hexdigest()
        if digest not in seen:
            seen.add(digest)
            kept.append(c)
    return kept


def page_id(c: Candidate, taken: set[str]) -> str:
    if c.repo in PEERS:
        pid = f"{PEERS[c.repo].prefix}-{c.spider}"
    else:
        city = c.repo.split("city-scrapers-")[-1]
        pid = c.spider if c.spider.startswith(city) else f"{city}-{c.spider}"
        pid = f"cs-{pid}"
    while pid in taken:
        pid += "-2"
    taken.add(pid)
    return pid


def provenance(c: Candidate) -> dict[str, str]:
    """Where the page and its truth come from; a City Scrapers page's truth is its test's parsed items."""
    peer = PEERS.get(c.repo)
    entry = {
        "repo": c.repo,
        "commit": c.commit,
        "path": c.path,
        "test": c.test,
        "license": peer.license if peer else REPOS[c.repo][1],
    }
    if peer:
        entry["truth"] = c.truth or peer.truth
    if c.note:
        entry["page"] = c.note
    return entry


def write(kept: list[Candidate], out: Path) -> dict[str, Any]:
    if out.exists():
        shutil.rmtree(out)
    (out / "pages").mkdir(parents=True)
    taken: set[str] = set()
    entries = []
    for c in kept:
        kind = KINDS[Path(c.path).suffix.lower()]
        pid = page_id(c, taken)
        page_dir = out / "pages" / pid
        page_dir.mkdir()
        (page_dir / f"page.{kind}").write_bytes(c.body)
        with (page_dir / "expected.jsonl").open("w", encoding="utf-8") as fh:
            for item in c.items:
                fh.write(json.dumps({"title": item["title"], "start_date": item["start"][:10]}) + "\n")
        site = site_of(c.url)
        entries.append(
            {
                "id": pid,
                "site": site,
                "platform": platform_of(c.url, c.body, kind),
                "kind": "listing",
                "format": kind,
                "today": c.today,
                "url": c.url,
                "split": split_of(site, c.spider),
                "listings": len(c.items),
                "title_coverage": round(c.covered, 3),
                "provenance": provenance(c),
            }
        )
    manifest = {
        "version": 3,
        "builder": "benchmarks/corpus/build.py",
        "split_salt": SPLIT_SALT,
        "pages": entries,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="benchmarks.corpus.build", description=__doc__.split("\n")[0])
    parser.add_argument("--mirrors", type=Path, required=True)
    parser.add_argument("--peer-python", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    order = sources()
    found: list[Candidate] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (repo, commit) in enumerate(order, 1):
            if repo in FORBIDDEN:
                raise SystemExit(f"{repo} is held out for the team's own measurement")
            gitdir = git_dir(args.mirrors, repo)
            if not gitdir.exists():
                print(f"[{n}/{len(order)}] {repo}: no snapshot in {args.mirrors}, skipped", file=sys.stderr)
                continue
            tree = Path(tmp) / f"{repo.replace('/', '+')}@{commit}"
            checkout(gitdir, commit, tree)
            if repo in PEERS:
                clock = saved_on(gitdir, commit, PEERS[repo].fixtures)
                records = harvest_other(PEERS[repo], args.peer_python, tree, clock)
            else:
                records = harvest(args.peer_python, tree, spiders_of(repo, commit))
            mine = [c for c in candidates(repo, commit, tree, records) if wanted(c)]
            print(
                f"[{n}/{len(order)}] {repo}@{commit[:10]}: {len(records)} records, {len(mine)} usable",
                file=sys.stderr,
            )
            for record in records:
                if record.get("error") and repo in PEERS:
                    print(f"    {record['test']}: {record['error']}", file=sys.stderr)
            for module, tests in sorted(missing_modules(records).items()):
                print(
                    f"    missing module {module!r} (add it to {REQUIREMENTS.name}): {', '.join(tests)}",
                    file=sys.stderr,
                )
            found.extend(mine)
    manifest = write(select(found), args.out)
    pages = manifest["pages"]
    for split in ("dev", "heldout"):
        part = [p for p in pages if p["split"] == split]
        print(
            f"{split}: {len(part)} pages, {len({p['site'] for p in part})} sites, "
            f"{sum(p['listings'] for p in part)} listings",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
