"""`make bench`: build a synthetic archive with our pipeline, stock Pelican and Hugo, in one run.

Prints a table of stage timings, pages, output size and peak memory for each size, and
writes the same figures as JSON under bench/results/. Two ratios compare `core` — our build
in one interface language, search index included, of the pages Hugo's build writes too
(documents, actor and location pages, paginated lists, without related documents, maps and
the other explore features) — with stock Pelican's HTML-only build (`ratio ours/stock at N`)
and with the same corpus built by Hugo and indexed by the Pagefind CLI (bench/anchor.py,
row `hugo+pf`, `ratio ours/hugo+pagefind at N`), with the pages of each type both wrote.
What the explore features (`one`), the other interface languages (`ours`, the shipped
settings) and the actor and location pages cost are lines of their own, and so are the
deploy builds that reuse their cache folder (measure_deploys).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import anchor
from bench import related as related_bench
from bench import search as search_bench
from bench.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
#: The plugins of issue 19 (exploring the archive), left out of the `bare` build.
EXPLORE_PLUGINS = ("related", "timelines", "open_data", "maps", "feeds", "content_warnings")


def write_settings(work: Path, kind: str) -> Path:
    """A settings file pointing our (or stock) configuration at a generated corpus.

    `core` is ours in the first interface language without the explore features (related
    documents, timelines, maps, open data, feeds, content warnings): the pages Hugo's build
    writes too, which both ratios compare. `one` adds the explore features, `ours` (the
    shipped settings) the other interface languages; `plain` is ours without the actor and
    location pages, `bare` ours without the explore features: each shows what a feature
    costs. `deploy` is ours without the search index, built from a checkout with a build
    cache (measure_deploys).
    """
    source = "deploy/checkout" if kind == "deploy" else "stock" if kind == "stock" else "ours"
    content = work / source / "content"
    path = work / f"{kind}conf.py"
    if kind != "stock":
        text = (
            f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
            f"THEME = {str(ROOT / 'theme')!r}\nPLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
        )
    else:
        text = (
            f"SITENAME = 'Benchmark'\nTIMEZONE = 'UTC'\nPLUGINS = ['markdown_it_reader']\n"
            f"PLUGIN_PATHS = [{str(ROOT / 'bench' / 'stock')!r}, {str(ROOT / 'plugins')!r}]\n"
        )
    if kind == "plain":
        text += "PLUGINS = [p for p in PLUGINS if p != 'taxonomies']\n"
    if kind in ("bare", "core"):
        text += f"PLUGINS = [p for p in PLUGINS if p not in {EXPLORE_PLUGINS!r}]\n"
    if kind in ("one", "core"):
        text += "LANGUAGES = {**LANGUAGES, 'interface': LANGUAGES['interface'][:1]}\n"
    if kind == "deploy":
        text += "PLUGINS = [p for p in PLUGINS if p != 'search']\n"
        text += f"BUILD_CACHE = {{'folder': {str(work / 'deploy' / 'cache')!r}}}\n"
    path.write_text(text + f"PATH = {str(content)!r}\n", encoding="utf-8")
    return path


def measure(kind: str, settings: Path, output: Path, edit: bool = False) -> dict:
    """Build in a fresh process; return its stages plus pages and bytes written.

    With `edit`, the harness then also times a live update after a text edit; the build's
    wall time stops when the build ends.
    """
    launched = time.time()
    result = run_module(
        ["bench.harness", kind, str(settings), str(output)] + (["edit"] if edit else []), kind
    )
    result.update(wall=result["ended_at"] - launched, **written(output))
    return result


def run_module(arguments: list[str], what: str) -> dict:
    """`python -m ARGUMENTS` in a fresh process: the JSON of its last line, or exit saying why."""
    done = subprocess.run(
        [sys.executable, "-m", *arguments], cwd=ROOT, capture_output=True, text=True
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

    The corpus is converted to a Hugo site first, untimed; the wall time runs from Hugo's
    start to Pagefind's end (bench/anchor.py).
    """
    if not anchor.installed():
        return None
    site, public = folder / "hugo" / "site", folder / "hugo" / "public"
    anchor.convert(folder / "ours" / "content", site)
    result = run_module(["bench.anchor", str(site), str(public)], "hugo+pagefind")
    result.update(written(public))
    return result


def row(size, kind, r, ratio="") -> str:
    """One line of the results table."""
    return (
        f"{size:>7} {kind:<6} {r['read']:>7.1f} {r['render_write']:>8.1f} {r['taxonomies']:>6.1f}"
        f" {r['after_write']:>7.1f} {r['wall']:>7.1f} {r['pages']:>7} {r['output_mb']:>8.1f}"
        f" {r['peak_total_mb']:>8.0f} {ratio:>6}"
    )


def anchor_row(size, r) -> str:
    """The Hugo + Pagefind line of the table: Hugo's time as render+write, Pagefind's as search."""
    return (
        f"{size:>7} {'hugo+pf':<7}{'':>7} {r['hugo']:>8.1f} {'':>6} {r['pagefind']:>7.1f}"
        f" {r['wall']:>7.1f} {r['pages']:>7} {r['output_mb']:>8.1f} {r['peak_total_mb']:>8.0f}"
    )


def print_page_types(builds: dict[str, dict[str, int]]) -> None:
    """Which pages each build wrote, by type (documents, term pages, lists and their pages)."""
    print(f"{'':>7} {'pages by type':<24}" + "".join(f" {name:>8}" for name in builds))
    for kind in anchor.PAGE_TYPES:
        print(f"{'':>7} {kind:<24}" + "".join(f" {types[kind]:>8}" for types in builds.values()))


def print_costs(builds: dict) -> None:
    """What each feature beyond the pages Hugo writes costs, against ours without it."""
    core, one, ours = builds.get("core"), builds.get("one"), builds.get("ours")
    if core and one:
        print(
            f"{'':>7} related documents, timelines, maps, open data cost: "
            f"{one['wall'] / core['wall']:.2f}x time, "
            f"+{one['output_mb'] - core['output_mb']:.1f} MB output (one / core)"
        )
    if one and ours:
        print(
            f"{'':>7} interface languages ({ours['languages']}) cost: "
            f"{ours['wall'] / one['wall']:.2f}x time, "
            f"+{ours['output_mb'] - one['output_mb']:.1f} MB output (ours / one)"
        )
    if ours and builds.get("plain"):
        print(
            f"{'':>7} actor and location pages cost: {ours['wall'] / builds['plain']['wall']:.2f}x "
            "(ours / plain)"
        )
    if ours and builds.get("bare"):
        print(
            f"{'':>7} explore features in three languages cost: "
            f"{ours['wall'] / builds['bare']['wall']:.2f}x time (ours / bare)"
        )


#: Every build `make bench` measures, in order; `--builds` picks some.
BUILDS = ("stock", "hugo", "core", "one", "ours", "plain", "bare", "deploy")


def compare_builds(folder: Path, size: int, wanted=BUILDS) -> dict:
    """Build the corpus of `folder` each wanted way, print the rows and what features cost.

    Returns the figures of each build, the two ratios (`core` over stock Pelican and over
    Hugo + Pagefind), the pages each of `core` and Hugo wrote, by type, and the deploys.
    """
    builds = {}
    for kind in ("stock", "core", "one", "ours", "plain", "bare"):
        if kind in wanted:
            output = folder / kind / "output"
            harness = "stock" if kind == "stock" else "ours"
            builds[kind] = measure(harness, write_settings(folder, kind), output, kind == "ours")
    hugo = measure_anchor(folder) if "hugo" in wanted else None
    core, stock = builds.get("core"), builds.get("stock")
    ratio = core["wall"] / stock["wall"] if core and stock else None
    ratio_hugo = core["wall"] / hugo["wall"] if core and hugo else None
    print_rows(size, builds, hugo, ratio)
    print_costs(builds)
    page_types = {"core": anchor.page_types(folder / "core" / "output")} if core else {}
    if hugo:
        page_types["hugo+pf"] = anchor.page_types(folder / "hugo" / "public")
    elif "hugo" in wanted:
        print(f"{'':>7} hugo+pf: not measured, bench/requirements.lock is not installed")
    if page_types:
        print_page_types(page_types)
    if "ours" in builds:
        print_live_edit(builds["ours"])
    deploys = measure_deploys(folder, builds.get("ours")) if "deploy" in wanted else None
    return {
        **builds,
        "ratio": ratio,
        "hugo_pagefind": hugo,
        "ratio_hugo_pagefind": ratio_hugo,
        "page_types": page_types,
        "deploys": deploys,
    }


def print_rows(size: int, builds: dict, hugo: dict | None, ratio: float | None) -> None:
    """The table's lines of one size: stock Pelican, Hugo + Pagefind, then ours."""
    if "stock" in builds:
        print(row(size, "stock", builds["stock"]))
    if hugo:
        print(anchor_row(size, hugo))
    for kind in ("core", "one", "ours", "plain", "bare"):
        if kind in builds:
            shown = f"{ratio:.2f}" if kind == "core" and ratio else ""
            print(row(size, kind, builds[kind], shown))


def print_live_edit(ours: dict) -> None:
    """What an editor of the live site waits for after changing the text of one document."""
    edit = ours["edit"]
    print(
        f"{'':>7} live update after a text edit ({edit['document']}): "
        f"{len(edit['written'])} files rewritten in {edit['pages_s']:.2f} s"
        f"{' (FULL BUILD)' if edit['full_build'] else ''}, search indexes refreshed "
        f"{edit['search_s']:.1f} s after the edit; undone: "
        f"{'identical to' if edit['undone_identical'] else 'DIFFERENT FROM'} the full build"
    )


#: The changes a deploy is measured after: (what, how to make it in a checkout's content).
DEPLOY_CHANGES = (
    ("one document's text edited", "text"),
    ("one document added", "added"),
    ("one document newer than all others added", "newest"),
)
#: Deploys timed after each change (the median is reported: single runs vary by a third
#: on a shared machine).
DEPLOY_RUNS = 3


def measure_deploys(folder: Path, ours: dict | None) -> dict:
    """Deploy builds that reuse the cache folder of the last one (plugins/build_cache).

    A first build from a checkout (a copy of the corpus) fills the cache; then, for each
    change, a clean checkout (a fresh copy at the same place, as on Netlify) with the change
    made is built with a copy of that cache. The deploys leave the search index out (its
    time is reported on its own line, from the full build); the first build, the same
    settings with an empty cache, is the full build they are measured against.
    """
    deploy = folder / "deploy"
    settings = write_settings(folder, "deploy")
    shutil.rmtree(deploy, ignore_errors=True)
    shutil.copytree(folder / "ours" / "content", deploy / "checkout" / "content")
    full = measure("ours", settings, deploy / "output")
    shutil.copytree(deploy / "cache", deploy / "cache.first", symlinks=True)
    results = {"full": full}
    for label, change in DEPLOY_CHANGES:
        runs = []
        for _ in range(DEPLOY_RUNS):
            shutil.rmtree(deploy / "checkout")
            shutil.copytree(folder / "ours" / "content", deploy / "checkout" / "content")
            _change_checkout(deploy / "checkout" / "content", change)
            shutil.rmtree(deploy / "cache")
            shutil.copytree(deploy / "cache.first", deploy / "cache")
            shutil.rmtree(deploy / "output")
            runs.append(measure("ours", settings, deploy / "output"))
        runs.sort(key=lambda run: run["wall"])
        result = {**runs[len(runs) // 2], "walls": [run["wall"] for run in runs]}
        results[change] = result
        against = (
            f", {100 * result['wall'] / ours['wall']:.0f}% of the full build ({ours['wall']:.1f} s)"
            if ours
            else ""
        )
        print(
            f"{'':>7} deploy after {label}: {result['wall']:.1f} s without the search index"
            f" (median of {len(runs)}: {runs[0]['wall']:.1f}-{runs[-1]['wall']:.1f} s)"
            f"{against}; {100 * result['wall'] / full['wall']:.0f}% of the full build without"
            f" the search index ({full['wall']:.1f} s, filling the cache)"
        )
    if ours:
        print(
            f"{'':>7} search index (not in the deploy figures): {ours['search_index']:.1f} s "
            "of the full build, written beside its pages"
        )
    shutil.rmtree(deploy, ignore_errors=True)
    return results


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


def main(argv=None) -> None:
    """Generate each corpus, build it every way, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="keep the corpora and outputs here")
    parser.add_argument(
        "--query",
        default="militants shelling",
        help="the broad query measured on the search page (the rare one is a village's name)",
    )
    parser.add_argument("--no-browser", action="store_true", help="skip the search measurements")
    parser.add_argument(
        "--builds",
        default=",".join(BUILDS),
        help=f"the builds to measure, of {','.join(BUILDS)} (default: all)",
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
        "runs": [],
    }
    print(
        f"{'N':>7} {'build':<6} {'read':>7} {'render+':>8} {'taxon.':>6} {'checks+':>7}"
        f" {'wall s':>7} {'pages':>7} {'out MB':>8} {'mem MB':>8} {'ratio':>6}"
    )
    print(f"{'':>7} {'':<6} {'s':>7} {'write s':>8} {'s':>6} {'search s':>7}")
    for size in args.sizes:
        folder = work / f"n{size}"
        shutil.rmtree(folder, ignore_errors=True)
        corpus = generate(folder, size, seed=args.seed)
        builds = compare_builds(folder, size, args.builds.split(","))
        check_s = related_s = search = None
        if "ours" in builds:
            started = time.perf_counter()
            checked = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "archive",
                    "check",
                    "--settings",
                    str(folder / "oursconf.py"),
                ],
                cwd=ROOT,
                capture_output=True,
            )
            check_s = time.perf_counter() - started
            print(f"{'':>7} archive check: {check_s:.1f} s (exit {checked.returncode})")
            related_s = related_bench.measure(size)
            print(f"{'':>7} related documents step: {related_s:.2f} s")
            queries = {
                "broad": args.query,
                "rare": search_bench.rare_query(folder / "ours" / "content"),
            }
            if not args.no_browser:
                search = search_bench.measure(folder / "ours" / "output", queries)
            for line in search_bench.report(search) if search else ():
                print(f"{'':>7} {line}")
        report["runs"].append(
            {
                "size": size,
                "corpus": corpus,
                **builds,
                "search": search,
                "check_s": check_s,
                "related_s": related_s,
            }
        )
        if not args.work:
            shutil.rmtree(folder, ignore_errors=True)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = args.results / f"bench-{stamp}.json"
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"results: {out}")
    for run in report["runs"]:
        for name, ratio in (("hugo+pagefind", "ratio_hugo_pagefind"), ("stock", "ratio")):
            figure = f"{run[ratio]:.2f}" if run[ratio] else "not measured"
            print(f"ratio ours/{name} at {run['size']}: {figure}")


if __name__ == "__main__":
    main()
