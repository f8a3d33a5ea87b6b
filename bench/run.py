"""`make bench`: build a synthetic archive with our pipeline, stock Pelican and Hugo, in rounds.

The corpus has a real vocabulary (bench/corpus.py). Every build runs once per round, the
order turned each round, with the machine's load printed before it (`interleaved`); each
row is a build's median run and each ratio (`RATIOS`) the median of its ratios within each
round, with their spread: `core` — our build in one interface language, search index
included, of the pages Hugo's build writes too — against stock Pelican's HTML-only build and
against the same corpus built by Hugo and indexed by the Pagefind CLI (bench/anchor.py, row
`hugo+pf`), with the pages of each type both wrote; `one` (the shipped features in one
language) and `ours` (the shipped settings) against Hugo + Pagefind too, and what each
feature costs. Deploys are measured as Netlify runs them (`measure_deploys`). The figures go
to a table and to JSON under bench/results/; the project's targets are printed beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import anchor
from bench import related as related_bench
from bench import relevance as relevance_bench
from bench import search as search_bench
from bench.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
#: The plugins of issue 19 (exploring the archive), left out of the `bare` build.
EXPLORE_PLUGINS = tuple(
    f"plugins.{name}"
    for name in ("related", "timelines", "open_data", "maps", "feeds", "content_warnings")
)


#: What a deploy's environment holds on Netlify's production context: the site's address
#: (publishconf.py) and the secret that seals the build cache (plugins/build_cache).
PUBLISH_ENVIRONMENT = {
    "URL": "https://documentary-archive.netlify.app",
    "ARCHIVE_CACHE_SECRET": "the benchmark's production secret, not a real one",
}


def write_settings(work: Path, kind: str) -> Path:
    """A settings file pointing our (or stock) configuration at a generated corpus.

    `core` is ours in the first interface language without the explore features (related
    documents, timelines, maps, open data, feeds, content warnings): the pages Hugo's build
    writes too, which both ratios compare. `one` adds the explore features, `ours` (the
    shipped settings) the other interface languages; `plain` is ours without the actor and
    location pages, `bare` ours without the explore features: each shows what a feature
    costs. `deploy` is what Netlify builds: the publish settings (publishconf.py, search
    index and feeds included) with a build cache, from a checkout (measure_deploys).
    """
    source = "deploy/checkout" if kind == "deploy" else "stock" if kind == "stock" else "ours"
    content = work / source / "content"
    path = work / f"{kind}conf.py"
    if kind != "stock":
        base = "publishconf" if kind == "deploy" else "pelicanconf"
        text = (
            f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom {base} import *\n"
            f"THEME = {str(ROOT / 'theme')!r}\n"
        )
    else:
        text = (
            f"SITENAME = 'Benchmark'\nTIMEZONE = 'UTC'\nPLUGINS = ['markdown_it_reader']\n"
            f"PLUGIN_PATHS = [{str(ROOT / 'bench' / 'stock')!r}]\n"
        )
    if kind == "plain":
        text += "PLUGINS = [p for p in PLUGINS if p != 'plugins.taxonomies']\n"
    if kind in ("bare", "core"):
        text += f"PLUGINS = [p for p in PLUGINS if p not in {EXPLORE_PLUGINS!r}]\n"
    if kind in ("one", "core"):
        text += "LANGUAGES = {**LANGUAGES, 'interface': LANGUAGES['interface'][:1]}\n"
    if kind == "deploy":
        text += f"BUILD_CACHE = {{'folder': {str(work / 'deploy' / 'cache')!r}}}\n"
    path.write_text(text + f"PATH = {str(content)!r}\n", encoding="utf-8")
    return path


def measure(kind: str, settings: Path, output: Path, edit: bool = False, env=None) -> dict:
    """Build into an emptied `output` in a fresh process; return its stages, pages and bytes.

    With `edit`, the harness then also times a live update after a text edit; the build's
    wall time stops when the build ends. `env`: variables the build's process gets besides
    this one's (a publish build's address).
    """
    shutil.rmtree(output, ignore_errors=True)
    launched = time.time()
    result = run_module(
        ["bench.harness", kind, str(settings), str(output)] + (["edit"] if edit else []),
        kind,
        env,
    )
    result.update(wall=result["ended_at"] - launched, **written(output))
    return result


def run_module(arguments: list[str], what: str, env=None) -> dict:
    """`python -m ARGUMENTS` in a fresh process: the JSON of its last line, or exit saying why."""
    done = subprocess.run(
        [sys.executable, "-m", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    if done.returncode:
        sys.exit(f"{what} build failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def written(output: Path) -> dict:
    """Pages, files and megabytes a build left in its output folder."""
    files = [p for p in output.rglob("*") if p.is_file()]
    return {
        "pages": sum(p.suffix == ".html" for p in files),
        "files": len(files),
        "output_mb": sum(p.stat().st_size for p in files) / 1e6,
    }


def measure_anchor(folder: Path) -> dict | None:
    """Hugo + Pagefind on the corpus of `folder`, in a fresh process; None if not installed.

    The corpus is converted to a Hugo site first (once, untimed); the wall time runs from
    Hugo's start to Pagefind's end (bench/anchor.py), into an emptied public folder.
    """
    if not anchor.installed():
        return None
    site, public = folder / "hugo" / "site", folder / "hugo" / "public"
    if not site.exists():
        anchor.convert(folder / "ours" / "content", site)
    shutil.rmtree(public, ignore_errors=True)
    result = run_module(["bench.anchor", str(site), str(public)], "hugo+pagefind")
    result.update(written(public))
    return result


def load_average() -> str:
    """The machine's load over the last 1, 5 and 15 minutes, as `uptime` prints it."""
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


#: Every build `make bench` measures, in order; `--builds` picks some. `hugo` is the anchor
#: (Hugo + Pagefind), `deploy` the deploys that reuse a cache (measure_deploys).
BUILDS = ("stock", "hugo", "core", "one", "ours", "plain", "bare", "deploy")
#: The ratios reported, each the median of its ratios within each round: (name, build over
#: build, what it says, the project's target or None).
RATIOS = (
    ("core/hugo+pagefind", "core", "hugo", "the pages Hugo writes, search index included", 0.8),
    ("one/hugo+pagefind", "one", "hugo", "shipped features, one interface language", 0.8),
    ("ours/hugo+pagefind", "ours", "hugo", "shipped settings, three interface languages", None),
    ("core/stock", "core", "stock", "against stock Pelican's HTML-only build", None),
    ("one/core", "one", "core", "what related documents, timelines, maps, open data cost", None),
    ("ours/one", "ours", "one", "what the other interface languages cost", None),
    ("ours/plain", "ours", "plain", "what the actor and location pages cost", None),
    ("ours/bare", "ours", "bare", "what the explore features cost in three languages", None),
)
#: Rounds of interleaved builds: single runs on a shared machine vary by a third.
ROUNDS = 3


def median_spread(values: list[float]) -> dict:
    """The median of `values` with their least and greatest."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def spread_text(figure: dict, unit: str = "", digits: int = 2) -> str:
    """`0.82 (0.78-0.88)`: a median and its spread, as printed."""
    return (
        f"{figure['median']:.{digits}f}{unit} ({figure['min']:.{digits}f}-"
        f"{figure['max']:.{digits}f}{unit})"
    )


def interleaved(folder: Path, wanted, rounds: int) -> dict[str, list[dict]]:
    """Build the corpus of `folder` each wanted way, in rounds, every build once a round.

    The order turns round each time (stock … bare, then bare … stock), so no build always
    runs first on a cooler machine; the load average is printed before each build. Our
    shipped build also times a live edit, in the first round. Returns each build's runs.
    """
    order = [kind for kind in BUILDS if kind in wanted and kind != "deploy"]
    if "hugo" in order and not anchor.installed():
        print(f"{'':>7} hugo+pf: not measured, bench/requirements.lock is not installed")
        order.remove("hugo")
    runs: dict[str, list[dict]] = {kind: [] for kind in order}
    for number in range(rounds):
        turn = order if number % 2 == 0 else order[::-1]
        print(f"{'':>7} round {number + 1} of {rounds}: {', '.join(turn)}")
        for kind in turn:
            load = load_average()
            if kind == "hugo":
                result = measure_anchor(folder)
            else:
                output = folder / kind / "output"
                harness = "stock" if kind == "stock" else "ours"
                edit = kind == "ours" and number == 0
                result = measure(harness, write_settings(folder, kind), output, edit)
            result["load_before"] = load
            runs[kind].append(result)
            print(f"{'':>7}   load {load} before {BUILD_NAMES[kind]}: {result['wall']:.1f} s")
    return runs


#: How each build is named in the table.
BUILD_NAMES = {"hugo": "hugo+pf"}
BUILD_NAMES.update((kind, kind) for kind in BUILDS if kind != "hugo")


def compare_builds(folder: Path, size: int, wanted=BUILDS, rounds: int = ROUNDS) -> dict:
    """Build the corpus of `folder` in interleaved rounds; print the rows, ratios and pages.

    Each build's row is its median run (by wall time); each ratio is the median of the
    ratios within each round, with their spread. Returns the runs of each build, its median
    run, the ratios, the pages `core` and Hugo wrote by type, and the deploys.
    """
    runs = interleaved(folder, wanted, rounds)
    builds = {kind: median_run(results) for kind, results in runs.items()}
    print_rows(size, builds)
    ratios = {}
    for name, over, under, what, target in RATIOS:
        if runs.get(over) and runs.get(under):
            within = [a["wall"] / b["wall"] for a, b in zip(runs[over], runs[under], strict=True)]
            ratios[name] = {**median_spread(within), "rounds": within, "target": target}
            met = target is not None and ratios[name]["median"] <= target
            verdict = "" if target is None else f"; target <= {target}: {_met(met)}"
            print(
                f"{'':>7} ratio {name:<19} {spread_text(ratios[name])}, median of"
                f" {len(within)} interleaved: {what}{verdict}"
            )
    page_types = {"core": anchor.page_types(folder / "core" / "output")} if "core" in runs else {}
    if "hugo" in runs:
        page_types["hugo+pf"] = anchor.page_types(folder / "hugo" / "public")
    if page_types:
        print_page_types(page_types)
    if "ours" in runs:
        print_live_edit(runs["ours"][0])
    deploys = measure_deploys(folder, rounds) if "deploy" in wanted else None
    return {
        **builds,
        "runs": runs,
        "ratios": ratios,
        "page_types": page_types,
        "deploys": deploys,
    }


def _met(met: bool) -> str:
    return "met" if met else "NOT MET"


def median_run(results: list[dict]) -> dict:
    """The run of median wall time, with every run's wall time beside it."""
    ranked = sorted(results, key=lambda run: run["wall"])
    return {**ranked[(len(ranked) - 1) // 2], "walls": [run["wall"] for run in results]}


def row(size, kind, r) -> str:
    """One line of the results table (our builds and stock Pelican)."""
    return (
        f"{size:>7} {kind:<7} {r['read']:>6.1f} {r['render_write']:>8.1f} {r['taxonomies']:>6.1f}"
        f" {r['after_write']:>7.1f} {r['wall']:>7.1f} {_walls(r)}"
        f" {r['pages']:>7} {r['output_mb']:>8.1f} {r['peak_total_mb']:>8.0f}"
    )


def _walls(r) -> str:
    return f"{min(r['walls']):>6.1f}-{max(r['walls']):<6.1f}"


def anchor_row(size, r) -> str:
    """The Hugo + Pagefind line of the table: Hugo's time as render+write, Pagefind's as search."""
    return (
        f"{size:>7} {'hugo+pf':<7}{'':>6} {r['hugo']:>8.1f} {'':>6} {r['pagefind']:>7.1f}"
        f" {r['wall']:>7.1f} {_walls(r)}"
        f" {r['pages']:>7} {r['output_mb']:>8.1f} {r['peak_total_mb']:>8.0f}"
    )


HEADER = (
    f"{'N':>7} {'build':<7} {'read':>6} {'render+':>8} {'taxon.':>6} {'checks+':>7}"
    f" {'wall s':>7} {'min-max s':>13} {'pages':>7} {'out MB':>8} {'mem MB':>8}\n"
    f"{'':>7} {'':<7} {'s':>6} {'write s':>8} {'s':>6} {'search s':>7} {'median':>7}"
)


def print_rows(size: int, builds: dict) -> None:
    """The table of one size: each build's median run, with the spread of its wall times."""
    print(HEADER)
    for kind in BUILDS:
        if kind == "hugo" and kind in builds:
            print(anchor_row(size, builds[kind]))
        elif kind in builds:
            print(row(size, kind, builds[kind]))


#: Page types only our build writes (year archives, lists in other orders; search, 404 and
#: about pages).
OURS_ONLY = ("year archives", "list orders", "other")


def shared_page_types() -> list[str]:
    """The page types both our build and Hugo's write, which must be as many in each."""
    return [kind for kind in anchor.PAGE_TYPES if kind not in OURS_ONLY]


def print_page_types(builds: dict[str, dict[str, int]]) -> None:
    """Which pages each build wrote, by type, and whether both wrote the same of each."""
    print(f"{'':>7} {'pages by type':<24}" + "".join(f" {name:>8}" for name in builds))
    for kind in anchor.PAGE_TYPES:
        print(f"{'':>7} {kind:<24}" + "".join(f" {types[kind]:>8}" for types in builds.values()))
    if len(builds) == 2:
        core, hugo = builds.values()
        differ = [kind for kind in shared_page_types() if core[kind] != hugo[kind]]
        print(
            f"{'':>7} pages by type: "
            + (f"DIFFERENT for {', '.join(differ)}" if differ else "the same in both")
            + f", {' and '.join(OURS_ONLY)} aside (Hugo's build writes none)"
        )


def print_live_edit(ours: dict) -> None:
    """What an editor of the live site waits for after changing one document's text or title."""
    edit = ours["edit"]
    front = edit["front_matter"]
    print(
        f"{'':>7} live update after a text edit ({edit['document']}): "
        f"{len(edit['written'])} files rewritten in {edit['pages_s']:.2f} s"
        f"{' (FULL BUILD)' if edit['full_build'] else ''}, search indexes refreshed "
        f"{edit['search_s']:.1f} s after the edit; undone: "
        f"{'identical to' if edit['undone_identical'] else 'DIFFERENT FROM'} the full build"
    )
    print(
        f"{'':>7} live update after a title edit: the site rebuilt in {front['pages_s']:.2f} s, "
        f"reusing the pages that do not show it; undone: "
        f"{'identical to' if front['undone_identical'] else 'DIFFERENT FROM'} the full build"
    )


#: The changes a deploy is measured after: (what, how to make it in a checkout's content).
DEPLOY_CHANGES = (
    ("one document's text edited", "text"),
    ("one document added", "added"),
    ("one document newer than all others added", "newest"),
)
#: The project's target for a deploy, as a share of the full build with search.
DEPLOY_TARGET = 0.25


def measure_deploys(folder: Path, rounds: int = ROUNDS) -> dict:
    """Deploys as Netlify runs them: publish settings, search index, a clean checkout, a cache.

    Each round builds a checkout (a copy of the corpus) with an empty cache folder: the
    full publish build, search index and feeds included, which fills the cache. Then, for
    each change, a clean checkout (a fresh copy at the same place, as on Netlify) with the
    change made is built with a copy of that cache. A deploy's share is taken against the
    full build of its own round; the median share over the rounds is reported.
    """
    deploy = folder / "deploy"
    settings = write_settings(folder, "deploy")
    results = {"full": [], **{change: [] for _, change in DEPLOY_CHANGES}}
    for number in range(rounds):
        shutil.rmtree(deploy, ignore_errors=True)
        _fresh_checkout(folder, deploy, None)
        load = load_average()
        full = measure("ours", settings, deploy / "output", env=PUBLISH_ENVIRONMENT)
        full["load_before"] = load
        results["full"].append(full)
        print(
            f"{'':>7} deploy round {number + 1} of {rounds}: load {load} before the full"
            f" publish build: {full['wall']:.1f} s (search index {full['search_index']:.1f} s)"
        )
        shutil.copytree(deploy / "cache", deploy / "cache.first", symlinks=True)
        for _, change in DEPLOY_CHANGES:
            _fresh_checkout(folder, deploy, change)
            shutil.rmtree(deploy / "cache")
            shutil.copytree(deploy / "cache.first", deploy / "cache", symlinks=True)
            load = load_average()
            run = measure("ours", settings, deploy / "output", env=PUBLISH_ENVIRONMENT)
            run.update(load_before=load, share=run["wall"] / full["wall"])
            results[change].append(run)
            print(f"{'':>7}   load {load} before the deploy after {change}: {run['wall']:.1f} s")
    shutil.rmtree(deploy, ignore_errors=True)
    full = median_spread([run["wall"] for run in results["full"]])
    results["full_wall"] = full
    print(f"{'':>7} full publish build (fills the cache): {spread_text(full, ' s', 1)}")
    for label, change in DEPLOY_CHANGES:
        wall = median_spread([run["wall"] for run in results[change]])
        share = median_spread([100 * run["share"] for run in results[change]])
        results[f"{change}_wall"], results[f"{change}_share"] = wall, share
        verdict = _met(share["median"] <= 100 * DEPLOY_TARGET)
        print(
            f"{'':>7} deploy after {label}: {spread_text(wall, ' s', 1)}, search index"
            f" included; {spread_text(share, '%', 0)} of the full publish build, median of"
            f" {rounds} interleaved; target <= {100 * DEPLOY_TARGET:.0f}%: {verdict}"
        )
    return results


def _fresh_checkout(folder: Path, deploy: Path, change: str | None) -> None:
    """A clean checkout of the corpus at deploy/checkout, with `change` made (or none)."""
    shutil.rmtree(deploy / "checkout", ignore_errors=True)
    shutil.copytree(folder / "ours" / "content", deploy / "checkout" / "content")
    if change:
        _change_checkout(deploy / "checkout" / "content", change)


#: A document's publication date in its front matter.
PUBLISHED = re.compile(r"^published: (\d{4}-\d{2}-\d{2})", re.MULTILINE)


def _change_checkout(content: Path, change: str) -> None:
    """Make `change` to the first document of a checkout's content (by path)."""
    first = min((content / "articles").rglob("*.md"))
    text = first.read_text(encoding="utf-8")
    if change == "text":
        first.write_text(text + "\nA sentence the editor adds.\n", encoding="utf-8")
    elif change == "added":  # a copy, published the same day: it lands beside the first
        added = text.replace("title: ", "title: Added ", 1)
        first.with_name(first.stem + "-added.md").write_text(added, encoding="utf-8")
    else:  # newest: a copy published the day after the latest, at the top of its lists
        latest = max(
            dt.date.fromisoformat(day)
            for path in (content / "articles").rglob("*.md")
            for day in PUBLISHED.findall(path.read_text(encoding="utf-8"))
        )
        day = (latest + dt.timedelta(days=1)).isoformat()
        added = PUBLISHED.sub(f"published: {day}", text, count=1)
        added = added.replace("title: ", "title: Newest ", 1)
        first.with_name(first.stem + "-newest.md").write_text(added, encoding="utf-8")


def describe_corpus(size: int, corpus: dict) -> str:
    """The corpus line of the report: documents by language, words, distinct words, terms."""
    languages = ", ".join(f"{code} {count}" for code, count in corpus["languages"].items())
    return (
        f"{size:>7} corpus: {corpus['documents']:,} documents ({languages}); "
        f"{corpus['words']:,} words, {corpus['distinct_words']:,} distinct; "
        f"{corpus['actors']} actors, {corpus['locations']} places "
        f"({corpus['located']} with coordinates); broad query {corpus['broad_query']!r}"
    )


def measure_checks(folder: Path, size: int) -> tuple[float, float]:
    """`archive check` on the shipped settings' build, and the related documents step."""
    started = time.perf_counter()
    checked = subprocess.run(
        [sys.executable, "-m", "archive", "check", "--settings", folder / "oursconf.py"],
        cwd=ROOT,
        capture_output=True,
    )
    check_s = time.perf_counter() - started
    print(f"{'':>7} archive check: {check_s:.1f} s (exit {checked.returncode})")
    related_s = related_bench.measure(size)
    print(f"{'':>7} related documents step: {related_s:.2f} s")
    return check_s, related_s


def measure_search(args, folder: Path, corpus: dict, builds: dict) -> tuple:
    """Both engines' first results for a broad and a rare query: (ours, Pagefind's).

    Ours on the shipped settings' output, else on `core`'s (the same index, one interface
    language), served and from disk; Pagefind on Hugo's, served (bench/search.py).
    """
    queries = {
        "broad": args.query or corpus["broad_query"],
        "rare": search_bench.rare_query(folder / "ours" / "content"),
    }
    search = pagefind = None
    searched = next((kind for kind in ("ours", "core") if kind in builds), None)
    if searched:
        search = search_bench.measure(folder / searched / "output", queries)
        if search:
            search["build"] = searched
            print(f"{'':>7} search ours: measured on the output of `{searched}`")
        for line in search_bench.report(search) if search else ():
            print(f"{'':>7} {line}")
    if "hugo" in builds:
        pagefind = search_bench.measure_pagefind(folder / "hugo" / "public", queries)
        for line in search_bench.report_pagefind(pagefind) if pagefind else ():
            print(f"{'':>7} {line}")
    return search, pagefind


def measure_relevance() -> dict | None:
    """Both engines on the relevance set (bench/relevance.py): printed, and as JSON holds it."""
    if not anchor.installed():
        print(
            "relevance: not measured, bench/requirements.lock (the Pagefind CLI) is not installed"
        )
        return None
    relevance = relevance_bench.measure()
    for archive, figures in (relevance or {}).items():
        for line in relevance_bench.report(archive, figures):
            print(line)
    return relevance_bench.summary(relevance) if relevance else None


def main(argv=None) -> None:
    """Generate each corpus, build it every way in rounds, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="keep the corpora and outputs here")
    parser.add_argument(
        "--query",
        default=None,
        help="the broad query measured on the search page (default: two words of the real"
        " English texts that the most documents carry; the rare one is a village's name)",
    )
    parser.add_argument(
        "--no-browser",
        action="store_true",
        help="skip the search measurements (speed and bytes of both engines, relevance)",
    )
    parser.add_argument(
        "--no-relevance",
        action="store_true",
        help="skip the relevance set on the shipped and synthetic archives (bench/relevance.py)",
    )
    parser.add_argument(
        "--builds",
        default=",".join(BUILDS),
        help=f"the builds to measure, of {','.join(BUILDS)} (default: all)",
    )
    parser.add_argument(
        "--rounds", type=int, default=ROUNDS, help="interleaved rounds of builds and deploys"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for the JSON report")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="archive-bench-"))
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "seed": args.seed,
        "rounds": args.rounds,
        "runs": [],
    }
    wanted = args.builds.split(",")
    for size in args.sizes:
        folder = work / f"n{size}"
        shutil.rmtree(folder, ignore_errors=True)
        corpus = generate(folder, size, seed=args.seed)
        print(describe_corpus(size, corpus))
        builds = compare_builds(folder, size, wanted, args.rounds)
        check_s, related_s = measure_checks(folder, size) if "ours" in builds else (None, None)
        search, pagefind = (
            (None, None) if args.no_browser else measure_search(args, folder, corpus, builds)
        )
        report["runs"].append(
            {
                "size": size,
                "corpus": corpus,
                **builds,
                "search": search,
                "search_pagefind": pagefind,
                "check_s": check_s,
                "related_s": related_s,
            }
        )
        if not args.work:
            shutil.rmtree(folder, ignore_errors=True)
    if not args.no_browser and not args.no_relevance:
        report["relevance"] = measure_relevance()
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = args.results / f"bench-{stamp}.json"
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"results: {out}")
    for run in report["runs"]:
        for name, ratio in run["ratios"].items():
            print(f"ratio {name} at {run['size']}: {spread_text(ratio)}")


if __name__ == "__main__":
    main()
