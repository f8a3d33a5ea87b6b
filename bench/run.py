"""`make bench`: build a synthetic archive with our pipeline and with stock Pelican, in one run.

Prints a table of stage timings, pages, output size and peak memory for each size, ending with
`ratio ours/stock at N: X.XX` (our full build in one interface language, search index
included, over stock Pelican's HTML-only build), and writes the same figures as JSON under
bench/results/. What the other interface languages cost is a row of its own (`ours`, the
shipped settings, against `one`).

The same corpus is also built by Hugo and indexed by the Pagefind CLI (bench/anchor.py, row
`hugo+pf`), with `ratio ours/hugo+pagefind at N` beside the stock ratio and the pages of each
type both builds wrote.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
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

    `plain` is ours without the actor and location pages, to show what they cost; `bare` is
    ours without the explore features (related documents, timelines, maps, open data, feeds,
    content warnings), to show what those cost; `one` is ours in the first interface
    language only, to show what the others cost.
    """
    content = work / ("ours" if kind in ("plain", "bare", "one") else kind) / "content"
    path = work / f"{kind}conf.py"
    if kind in ("ours", "plain", "bare", "one"):
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
    if kind == "bare":
        text += f"PLUGINS = [p for p in PLUGINS if p not in {EXPLORE_PLUGINS!r}]\n"
    if kind == "one":
        text += "LANGUAGES = {**LANGUAGES, 'interface': LANGUAGES['interface'][:1]}\n"
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


def print_costs(ours: dict, one: dict, plain: dict, bare: dict) -> None:
    """What the features beyond stock Pelican's pages cost, each against ours without it."""
    print(
        f"{'':>7} interface languages ({ours['languages']}) cost: "
        f"{ours['wall'] / one['wall']:.2f}x time, "
        f"+{ours['output_mb'] - one['output_mb']:.1f} MB output (ours / ours in one language)"
    )
    print(
        f"{'':>7} actor and location pages cost: {ours['wall'] / plain['wall']:.2f}x "
        "(ours / ours without them)"
    )
    print(
        f"{'':>7} related documents, timelines, maps, open data cost: "
        f"{ours['wall'] / bare['wall']:.2f}x time, "
        f"+{ours['output_mb'] - bare['output_mb']:.1f} MB output (ours / ours without them)"
    )


def compare_builds(folder: Path, size: int) -> dict:
    """Build the corpus of `folder` every way, print the rows and what the features cost.

    Returns the figures of each build, the two ratios (`one` over stock Pelican and over
    Hugo + Pagefind) and the pages each of `one` and Hugo wrote, by type.
    """
    stock = measure("stock", write_settings(folder, "stock"), folder / "stock" / "output")
    ours = measure("ours", write_settings(folder, "ours"), folder / "ours" / "output", edit=True)
    plain = measure("ours", write_settings(folder, "plain"), folder / "plain" / "output")
    bare = measure("ours", write_settings(folder, "bare"), folder / "bare" / "output")
    one = measure("ours", write_settings(folder, "one"), folder / "one" / "output")
    hugo = measure_anchor(folder)
    ratio = one["wall"] / stock["wall"]
    ratio_hugo = one["wall"] / hugo["wall"] if hugo else None
    print(row(size, "stock", stock))
    if hugo:
        print(anchor_row(size, hugo))
    print(row(size, "one", one, f"{ratio:.2f}"))
    print(row(size, "ours", ours))
    print(row(size, "plain", plain))
    print(row(size, "bare", bare))
    print_costs(ours, one, plain, bare)
    page_types = {"one": anchor.page_types(folder / "one" / "output")}
    if hugo:
        page_types["hugo+pf"] = anchor.page_types(folder / "hugo" / "public")
    else:
        print(f"{'':>7} hugo+pf: not measured, bench/requirements.lock is not installed")
    print_page_types(page_types)
    edit = ours["edit"]
    print(
        f"{'':>7} live update after a text edit ({edit['document']}): "
        f"{len(edit['written'])} files rewritten in {edit['pages_s']:.2f} s"
        f"{' (FULL BUILD)' if edit['full_build'] else ''}, search indexes refreshed "
        f"{edit['search_s']:.1f} s after the edit; undone: "
        f"{'identical to' if edit['undone_identical'] else 'DIFFERENT FROM'} the full build"
    )
    return {
        "stock": stock,
        "ours": ours,
        "ratio": ratio,
        "plain": plain,
        "bare": bare,
        "one": one,
        "hugo_pagefind": hugo,
        "ratio_hugo_pagefind": ratio_hugo,
        "page_types": page_types,
    }


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
        builds = compare_builds(folder, size)
        started = time.perf_counter()
        checked = subprocess.run(
            [sys.executable, "-m", "archive", "check", "--settings", str(folder / "oursconf.py")],
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
        search = (
            None if args.no_browser else search_bench.measure(folder / "ours" / "output", queries)
        )
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
        hugo = run["ratio_hugo_pagefind"]
        hugo = f"{hugo:.2f}" if hugo else "not measured"
        print(f"ratio ours/hugo+pagefind at {run['size']}: {hugo}")
        print(f"ratio ours/stock at {run['size']}: {run['ratio']:.2f}")


if __name__ == "__main__":
    main()
