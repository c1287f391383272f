"""Assemble the page: a ``folium.Map`` in a page figure, with the payload and the page script.

folium builds the page, the map object and its tile layer; :class:`ProtestLayer` adds the
script, the style, the side panel and the data. Data never passes through a Jinja template:
branca renders every macro's output a second time as a template, so anything with ``{{`` in it
would be evaluated. Text from the data therefore goes in :class:`RawHtml` elements, as JSON made
safe by :func:`geo.render.encoding.embed_text`, and the page script puts it in the DOM as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import branca.element
import folium
import pandas as pd
from folium.template import Template
from folium.utilities import JsCode

from geo.errors import UsageError
from geo.render import assets, basemap, columns, languages
from geo.render.encoding import embed_json, embed_text, payload_json
from geo.render.payload import as_lists, safe_link, with_string_table

DATA_ID = "pm-data"
"""Element id of the events payload."""

BASEMAP_ID = "pm-basemap"
"""Element id of the country outlines."""

I18N_ID = "pm-i18n"
"""Element id of the interface's words in every language, and the default language."""

TILES = "OpenStreetMap"
MIN_ZOOM = 2
"""Whole world; markercluster builds one clustering level per zoom, so fewer levels load faster."""
MAX_ZOOM = 18


FAVICON = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E"
           "%3Ccircle cx='8' cy='8' r='6.5' fill='%23b8282e' stroke='%23fff'/%3E%3C/svg%3E")
"""The page's icon, inline, so that browsers ask for no ``/favicon.ico``."""

_FOLIUM_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*user-scalable=no[^>]*>\s*')


class RawHtml(branca.element.Element):
    """A piece of page text inserted as it is, never read as a Jinja template.

    Parameters
    ----------
    text
        Markup that is already safe: static, or escaped by the caller.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawHtml"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text, unchanged."""
        return self.text


class PageFigure(branca.element.Figure):
    """branca's page with a language, an escaped title, a description and the page header.

    Parameters
    ----------
    title
        Page title and main heading (plain text).
    description
        What the map shows, in words, for everyone and for screen readers (plain text).
    lang
        The page's language at first (a key of :data:`geo.render.i18n.LANGUAGES`); the reader's
        browser language or the language switch may change it.
    """

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang|e }}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="description" content="{{ this.description|e }}">\n'
        '<meta name="color-scheme" content="light dark">\n'
        '<link rel="icon" href="' + FAVICON + '">\n'
        "<title>{{ this.title|e }}</title>\n"
        "{{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        '<body class="pm">\n'
        '<a class="pm-skip" href="#pm-list" data-pm-t="skip">Skip to the list of protests</a>\n'
        '<header class="pm-header">\n'
        '<h1 id="pm-title" class="pm-title">{{ this.title|e }}</h1>\n'
        '<p id="pm-description" class="pm-description">{{ this.description|e }}</p>\n'
        '<button type="button" class="pm-toggle" aria-controls="pm-panel" aria-expanded="false" '
        'data-pm-t="listAndFilters">List and filters</button>\n'
        "</header>\n"
        '<main id="pm-main" class="pm-main">\n'
        "{{ this.html.render(**kwargs) }}\n"
        "</main>\n"
        "<script>\n"
        "{{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self, title: str, description: str, lang: str = "en") -> None:
        super().__init__(title=title)
        self._name = "PageFigure"
        self.description = description
        self.lang = lang

    def render(self, **kwargs: Any) -> str:
        """Render the page afresh: what an earlier render put in head and body is dropped.

        folium's viewport tag (which forbids pinch zoom) is dropped: the page has its own.
        """
        for part in (self.header, self.html, self.script):
            part._children.clear()
        return _FOLIUM_VIEWPORT.sub("", str(super().render(**kwargs)))


_PANEL = """\
<section id="pm-panel" class="pm-panel" aria-label="Filters and list of protests" tabindex="-1"
 data-pm-t-label="panel">
<form id="pm-filters" class="pm-filters" aria-labelledby="pm-filters-title">
<h2 id="pm-filters-title" data-pm-t="filters">Filters</h2>
</form>
<section class="pm-list-section" aria-labelledby="pm-list-title">
<h2 id="pm-list-title" data-pm-t="protestsHeading">Protests</h2>
<p id="pm-count" class="pm-count" role="status"></p>
<ol id="pm-list" class="pm-list" tabindex="-1"></ol>
<button type="button" id="pm-more" class="pm-more" hidden>Show more</button>
</section>
</section>
<noscript><p class="pm-noscript">This map needs JavaScript.</p></noscript>
"""


class ProtestLayer(branca.element.MacroElement):
    """The protests on a folium Map: page script and style, side panel, payload and basemap.

    Parameters
    ----------
    payload
        From :func:`geo.render.payload.build_payload` or :func:`~geo.render.payload.payload_arrays`.
    compress
        Deflate the payload (see :func:`geo.render.encoding.embed_text`); None: when large.
        Maps of more than :func:`geo.render.columns.big_above` events take the large-map path
        (:mod:`geo.render.columns`), always deflated.
    inline_libraries
        Inline Leaflet and Leaflet.markercluster (False: the map links them from CDNs).
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "ProtestMap.start({{ this._parent.get_name() }}, "
        '{"data": "' + DATA_ID + '", "basemap": "' + BASEMAP_ID + '", "i18n": "' + I18N_ID +
        '"});'
        "{% endmacro %}"
    )

    def __init__(self, payload: dict[str, Any], *, compress: bool | None = None,
                 inline_libraries: bool = True) -> None:
        super().__init__()
        self._name = "ProtestLayer"
        self.inline_libraries = inline_libraries
        if payload["n"] > columns.big_above():  # the large-map path: canvas, typed columns
            self.data = columns.page_elements(payload, DATA_ID)
        else:
            parts, head = payload_json(as_lists(with_string_table(payload)))
            self.data = _json_script(DATA_ID, *embed_text(parts, compress), head=head)
        self.outlines = _json_script(BASEMAP_ID, *embed_json(basemap.outlines(), compress))

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement's
        """Put the page's parts into the figure, then render the ``start`` call."""
        figure = self.get_root()
        header = figure.header  # type: ignore[attr-defined]
        body = figure.html  # type: ignore[attr-defined]
        if self.inline_libraries:
            for name, css in assets.library_styles():
                header.add_child(RawHtml(f"<style>\n{css}\n</style>"), name=name)
            for name, js in assets.library_scripts():
                header.add_child(RawHtml(f"<script>\n{js}</script>"), name=name)
        header.add_child(RawHtml(f"<style>\n{assets.page_style()}</style>"), name="pm_css")
        header.add_child(RawHtml(f"<script>\n{assets.page_script()}</script>"), name="pm_js")
        body.add_child(RawHtml(_PANEL), name="pm_panel")
        body.add_child(RawHtml(self.data), name="pm_data")
        body.add_child(RawHtml(self.outlines), name="pm_basemap")
        lang = figure.lang  # type: ignore[attr-defined]  # a PageFigure
        words = {"default": lang, "words": languages.translations()}
        body.add_child(RawHtml(_json_script(I18N_ID, *embed_json(words, False))), name="pm_i18n")
        super().render(**kwargs)


def new_map(title: str, description: str, *, cdn: bool, lang: str = "en") -> folium.Map:
    """Make an empty folium Map in a :class:`PageFigure`, with the OpenStreetMap tile layer.

    Only Leaflet and Leaflet.markercluster are linked (``cdn``) or nothing (they are inlined by
    :class:`ProtestLayer`); folium's other default links (jQuery, Bootstrap, Font Awesome ...)
    are not needed. ``lang``: the page's default language (:data:`geo.render.languages.LANGUAGES`).
    """
    animate = JsCode("!window.matchMedia('(prefers-reduced-motion: reduce)').matches")
    animations: dict[str, Any] = {  # Leaflet options, off for readers who ask for less motion
        "zoom_animation": animate, "fade_animation": animate, "marker_zoom_animation": animate}
    fmap = folium.Map(location=(30.0, 10.0), zoom_start=3, tiles=TILES, min_zoom=MIN_ZOOM,
                      max_zoom=MAX_ZOOM, control_scale=True, world_copy_jump=True, **animations)
    fmap.default_js = list(assets.CDN_JS) if cdn else []
    fmap.default_css = list(assets.CDN_CSS) if cdn else []
    PageFigure(title, description, languages.check_language(lang)).add_child(fmap)
    return fmap


def page_html(fmap: folium.Map) -> str:
    """Render the whole standalone page of a map: the same bytes for the same map.

    Element ids (random in folium) are renumbered in tree order first, so two builds of the
    same data give byte-identical pages.

    Parameters
    ----------
    fmap
        From :func:`geo.render.make_map` (more layers may have been added to it).

    Returns
    -------
    str
        The HTML document.
    """
    root = fmap.get_root()
    pin_ids(root)
    return root.render()


def pin_ids(root: branca.element.Element) -> None:
    """Give ``root`` and its descendants ids numbered in tree order (``"1"``, ``"2"`` ...).

    Children kept under their old name are re-keyed under the new one.
    """
    elements = list(_walk(root))
    old_names = {id(e): e.get_name() for e in elements}
    for number, element in enumerate(elements, start=1):
        element._id = str(number)
    for element in elements:
        element._children = type(element._children)(
            (child.get_name() if key == old_names[id(child)] else key, child)
            for key, child in element._children.items())


def _walk(element: branca.element.Element) -> Iterator[branca.element.Element]:
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def embed_html(embed_url: str, *, title: str) -> str:
    """Write a responsive iframe snippet showing the map at ``embed_url``, for an article.

    Parameters
    ----------
    embed_url
        Where the article will load ``map.html`` from: an http(s) URL or a relative one.
    title
        The iframe's accessible title (plain text).

    Returns
    -------
    str
        HTML: a box that keeps a 4:3 shape (at least 26rem tall) holding a lazily loaded,
        full-screen-capable iframe (which may copy a protest's link to the clipboard), and a
        link to the map for readers who cannot use it.

    Raises
    ------
    UsageError
        When ``embed_url`` is neither http(s) nor relative.

    Examples
    --------
    >>> print(embed_html("map.html", title="Protests & more"))  # doctest: +ELLIPSIS
    <div class="protest-map-embed" ...><iframe src="map.html" title="Protests &amp; more" ...
    """
    url = safe_link(embed_url)
    if not url:
        raise UsageError(f"--embed-url {embed_url!r} must be an http(s) URL or a relative path "
                         "(e.g. https://example.org/maps/map.html or map.html)")
    src, label = html.escape(url, quote=True), html.escape(title, quote=True)
    return (
        '<div class="protest-map-embed" style="position:relative;width:100%;aspect-ratio:4/3;'
        'min-height:26rem;max-height:90vh">'
        f'<iframe src="{src}" title="{label}" loading="lazy" allowfullscreen '
        'allow="clipboard-write" '
        'referrerpolicy="strict-origin-when-cross-origin" '
        'style="position:absolute;inset:0;width:100%;height:100%;border:0"></iframe></div>\n'
        f'<p class="protest-map-link"><a href="{src}">Open the map: {label}</a></p>\n'
    )


def describe(events: pd.DataFrame, context: pd.DataFrame | None,
             country_names: dict[str, str]) -> str:
    """Say in one paragraph what the map shows, for the page header and screen readers.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2011-12-16", "2011-12-17"]),
    ...                    "country": ["DE", "AT"]})
    >>> describe(ev, None, {"DE": "Germany", "AT": "Austria"})  # doctest: +NORMALIZE_WHITESPACE
    '2 protests in 2 countries (Austria and Germany), from 16 December 2011 to
    17 December 2011. All are listed beside the map.'
    """
    n = len(events)
    if n == 0:
        return "A map with no protests on it yet."
    names = sorted({country_names.get(c, c) for c in pd.unique(events["country"])})
    where = f"{len(names)} {'country' if len(names) == 1 else 'countries'}"
    if len(names) <= 8:
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        where += f" ({listed})"
    first, last = events["date"].min(), events["date"].max()
    when = f"on {_day(first)}" if first == last else f"from {_day(first)} to {_day(last)}"
    text = f"{n:,} protest{'s' if n != 1 else ''} in {where}, {when}."
    if context is not None and len(context):
        text += f" Marked with a star: {', '.join(map(str, context['city']))}, not a protest."
    return text + " All are listed beside the map."


def _day(ts: pd.Timestamp) -> str:
    return f"{ts.day} {ts:%B %Y}"


def _json_script(element_id: str, encoding: str, text: str, head: int | None = None) -> str:
    """A data element; ``head``: UTF-8 length of the JSON's head (see ``payload_json``)."""
    kind = "application/json" if encoding == "json" else "text/plain"
    split = "" if head is None else f' data-head="{head}"'
    return (f'<script type="{kind}" id="{element_id}" data-encoding="{encoding}"{split}>'
            f"{text}</script>\n")
