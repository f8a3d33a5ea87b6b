"""Pelican plugin: collections and years oldest first and by title, and by month.

Each collection's and year's documents get two more orders, and the first page of each
order a month index.

Pelican lists a collection's and a year's documents newest first, 20 to a page. Readers
following events as they unfolded want them oldest first; readers looking for a report
they know want them by title; both want to jump to a month. Each other order is a list of
static pages of its own (no script sorts anything: the pages work from disk and with
scripts off), at `per_page` documents to a page (100): two orders add some N / 50 pages
per interface language for N documents (400 at 10,000), not another N / 20 each.

The month index, on the first page of each order, links each month to the page of the
newest-first list that holds its newest document, at that document's anchor
(theme/templates/partials/list_orders.html): it adds no page. The indexes and the orders'
addresses are data, computed before any page is planned, for the templates:
`context["list_orders"]`, by the newest-first list's address.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from pelican import signals
from pelican.generators import Generator
from pelican.paginator import Paginator

from archive.site.plan import Shows, plan_page

logger = logging.getLogger(__name__)

DEFAULTS = {"per_page": 100}

#: The other orders: their key (in addresses and templates) and how they sort a list.
ORDERS = {
    "oldest": lambda articles: articles[::-1],
    "title": lambda articles: sorted(articles, key=lambda a: (a.title.casefold(), a.url)),
}

#: The template of Pelican's own (newest-first) pages of each kind of list.
PELICANS_TEMPLATE = {"collection": "category", "year": "period_archives"}


@dataclass(frozen=True)
class Month:
    """One month of a newest-first list: how many documents, and where its newest one is."""

    year: int
    month: int
    count: int
    url: str
    anchor: str

    @property
    def first_day(self) -> dt.date:
        """The month's first day, for the templates' date formatting."""
        return dt.date(self.year, self.month, 1)


@dataclass
class ListOrders:
    """A collection's or a year's list in every order, and its month index.

    `kind`: "collection" or "year"; `title`: the collection's name or the year; `articles`:
    the list newest first, as Pelican's own pages list it; `urls`: the first page of each
    order, by key ("newest" is Pelican's own page); `anchors`: the anchor of each month's
    newest document in the newest-first list, by the document's address.
    """

    kind: str
    title: str
    articles: list
    urls: dict[str, str]
    months: list[Month]
    anchors: dict[str, str] = field(default_factory=dict)


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`LIST_ORDERS = {...}`) over its defaults, checked."""
    options = {**DEFAULTS, **settings.get("LIST_ORDERS", {})}
    if not isinstance(options["per_page"], int) or options["per_page"] < 1:
        logger.error("list_orders: LIST_ORDERS['per_page'] must be a positive integer")
        options["per_page"] = DEFAULTS["per_page"]
    return options


def ordered_address(address: str, order: str) -> str:
    """The address of a list's first page in another order: `collections/x-oldest.html`."""
    return f"{address.removesuffix('.html')}-{order}.html"


def month_index(articles: list, address: str, per_page: int, settings) -> tuple[list, dict]:
    """The months of a newest-first list, and the anchor of each month's newest document.

    Each month links to the page Pelican's paginator puts that document on (`per_page` as
    the list's own pages have it).
    """
    pages = Paginator(address, address, articles, settings, per_page)
    page_of = {
        id(article): page.url
        for number in pages.page_range
        for page in [pages.page(number)]
        for article in page.object_list
    }
    months: list[Month] = []
    anchors: dict[str, str] = {}
    for article in articles:
        year, month = article.date.year, article.date.month
        if months and (months[-1].year, months[-1].month) == (year, month):
            last = months[-1]
            months[-1] = Month(year, month, last.count + 1, last.url, last.anchor)
            continue
        anchor = f"month-{year}-{month:02d}"
        anchors[article.url] = anchor
        months.append(Month(year, month, 1, page_of[id(article)], anchor))
    return months, anchors


def attach_list_orders(generators):
    """Give the templates every list's orders and months, before any page is planned.

    Pelican hands each year's page a copy of the context when it plans it: what the
    templates read must be there before the article generator writes.
    """
    context = generators[0].context
    settings = generators[0].settings
    found = context["list_orders"] = {}
    for kind, title, address, articles in _lists(context, settings):
        # Pelican's pages of the list: PAGINATED_TEMPLATES, else DEFAULT_PAGINATION.
        per_page = (
            settings["PAGINATED_TEMPLATES"].get(PELICANS_TEMPLATE[kind])
            or settings["DEFAULT_PAGINATION"]
        )
        months, anchors = month_index(articles, address, per_page, settings)
        urls = {"newest": address} | {order: ordered_address(address, order) for order in ORDERS}
        found[address] = ListOrders(kind, title, articles, urls, months, anchors)


def _lists(context: dict, settings: dict):
    """(kind, title, address, newest-first documents) of every list with other orders.

    The collections' lists are Pelican's own (one version of each report); a year's are
    the listed documents of that year, in the order its page lists them.
    """
    for category, articles in context["categories"]:
        yield "collection", category.name, category.save_as, list(articles)
    years: dict[int, list] = {}
    for article in context["articles"]:
        years.setdefault(article.date.year, []).append(article)
    pattern = settings["YEAR_ARCHIVE_SAVE_AS"]
    for year, articles in years.items():
        yield "year", str(year), pattern.format(date=articles[0].date), articles


class ListOrdersGenerator(Generator):
    """Plan every collection's and year's other orders."""

    def generate_output(self, writer):
        """Plan the pages of each other order; each shows its list, as the newest-first."""
        template = self.get_template("list_order")
        for orders in self.context["list_orders"].values():
            for order, arrange in ORDERS.items():
                ordered = arrange(orders.articles)
                plan_page(
                    writer,
                    Shows(lists=[ordered]),
                    orders.urls[order],
                    template,
                    self.context,
                    self.settings["RELATIVE_URLS"],
                    paginated={"articles": ordered},
                    template_name="list_order",
                    url=orders.urls[order],
                    articles=ordered,
                    list_order=order,
                    orders=orders,
                    nav_current="collections" if orders.kind == "collection" else "archive",
                )


def add_generator(pelican):
    """Our generator runs after the articles are read."""
    return ListOrdersGenerator


def configure(pelican):
    """The other orders' pages are paginated at this plugin's `per_page`."""
    settings = pelican.settings
    settings["PAGINATED_TEMPLATES"].setdefault("list_order", settings_of(settings)["per_page"])


def register():
    """Connect to Pelican: settings, then our generator."""
    signals.initialized.connect(configure)
    signals.all_generators_finalized.connect(attach_list_orders)
    signals.get_generators.connect(add_generator)
