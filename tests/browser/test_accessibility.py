"""Accessibility and self-containment in Chromium: axe-core finds no serious or critical
violation on any page in either language, the theme's texts reach WCAG AA contrast, and
the favicon comes from the app itself. (That no request leaves the app's origin is checked
for every browser test, by tests/browser/conftest.py.)

Each page is loaded once per language, in one browser tab, and scanned there, each of its
sections (tabs drawn only when open) in turn.
"""

from __future__ import annotations

import io
import tomllib
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from klynge.devtools import FAVICON, REPO_ROOT, open_section, page_url, section_labels, wait_for_app, wait_for_charts
from klynge.ui.pages import PAGES
from klynge.ui.texts import CATALOGUES, DEFAULT_LANGUAGE
from tests.browser.conftest import TIMEOUT_MS, origin

LANGUAGES = tuple(CATALOGUES)  # nb (the default, a clean URL) and en (?lang=en)
BLOCKING = {"serious", "critical"}
# Streamlit's own page navigation (its list markup is Streamlit's, not ours).
NOT_SCANNED = ['[data-testid="stSidebarNav"]']
AA = 4.5  # WCAG 2 AA contrast for normal text
THEME = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
# Backgrounds Streamlit puts text on in the light theme: the app's, and the sidebar's and the
# widgets' greys (backgroundColor and secondaryBackgroundColor being Streamlit's defaults).
BACKGROUNDS = ("#ffffff", "#f8f8f7", "#f0f2f6")
CAPTION_OPACITY = 0.6  # st.caption is the text colour at 60 % (Streamlit's fadedText60)
CAPTION = "[data-testid=stMain] [data-testid=stCaptionContainer]"

AXE = """async ([exclude]) => {
    const results = await axe.run({exclude: exclude.map(selector => [selector])}, {resultTypes: ['violations']});
    return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
            contrast: [...n.any, ...n.all].map(c => c.data && c.data.contrastRatio
                ? `${c.data.fgColor} on ${c.data.bgColor}: ${c.data.contrastRatio}:1` : '').join('')}))}));
}"""
# The texts charts draw (axis labels and titles, legends), with their colours and the
# chart's background.
CHART_TEXTS = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')].flatMap(svg => {
    const background = getComputedStyle(svg).backgroundColor;
    return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => ({
        text: t.textContent.trim(), fill: getComputedStyle(t).fill, opacity: getComputedStyle(t).fillOpacity, background}));
})"""


@dataclass(frozen=True)
class Scan:
    url: str
    violations: list[dict]
    chart_texts: list[dict]


@pytest.fixture(scope="module")
def scan(chromium, demo_server):
    """scan(spec, language): the page loaded, finished and scanned by axe-core, once."""
    from axe_playwright_python.base import AXE_SCRIPT  # axe-core, as the package ships it

    context = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="nb-NO")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    done: dict[tuple[str, str], Scan] = {}

    def run(spec, language: str) -> Scan:
        if (spec.url_path, language) not in done:
            url = page_url(demo_server.url, spec, "" if language == DEFAULT_LANGUAGE else f"lang={language}")
            page.goto(url)
            page.locator("[data-testid=stMain] h1", has_text=CATALOGUES[language][spec.title_key]).first.wait_for()
            wait_for_app(page, settle_ms=300)
            wait_for_charts(page)
            page.evaluate(AXE_SCRIPT)
            violations, chart_texts = page.evaluate(AXE, [NOT_SCANNED]), page.evaluate(CHART_TEXTS)
            for label in section_labels(page)[1:]:  # the first is open
                open_section(page, label)
                violations += page.evaluate(AXE, [NOT_SCANNED])
                chart_texts += page.evaluate(CHART_TEXTS)
            done[spec.url_path, language] = Scan(url, violations, chart_texts)
        return done[spec.url_path, language]

    yield run
    context.close()


def describe(violations: list[dict], nodes: int = 3) -> str:
    """Rule id, impact and what it asks, then a few of its elements (the last steps of each
    selector, the start of its markup)."""
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']}; {len(v['nodes'])} element(s):")
        for node in v["nodes"][:nodes]:
            lines.append(f"    {' > '.join(node['target'].split(' > ')[-3:])[-160:]}  {node['html'][:100]}  {node['contrast']}")
    return "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
def test_no_serious_or_critical_axe_violation(spec, language, scan):
    result = scan(spec, language)
    blocking = [v for v in result.violations if v["impact"] in BLOCKING]
    if blocking:
        pytest.fail(f"axe-core on {result.url}:\n{describe(blocking)}", pytrace=False)


def test_the_scan_would_report_a_low_contrast_caption(chromium, demo_server):
    """The scan reads the page's content, not an empty document: the page's captions, made
    pale (#aaaaaa, 2.3:1), are reported. (Not the sidebar's: axe-core leaves text it cannot
    see the background of as "incomplete", and Streamlit's sidebar is such a place; the theme
    tests below check its captions by computation.)"""
    from axe_playwright_python.base import AXE_SCRIPT

    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.goto(page_url(demo_server.url, PAGES[0]))
        page.locator(CAPTION).first.wait_for(timeout=TIMEOUT_MS)
        wait_for_app(page, settle_ms=0)
        page.add_style_tag(content=f"{CAPTION} p {{ color: #aaaaaa !important; }}")
        page.evaluate(AXE_SCRIPT)
        violations = page.evaluate(AXE, [NOT_SCANNED])
    finally:
        context.close()
    assert any(v["id"] == "color-contrast" and v["impact"] in BLOCKING for v in violations), describe(violations)


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over(colour: str, background: str, opacity: float) -> str:
    """`colour` at `opacity` on `background`, as the eye sees it."""
    fg, bg = ([int(c.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)] for c in (colour, background))
    return "#" + "".join(f"{round(opacity * f + (1 - opacity) * b):02x}" for f, b in zip(fg, bg))


def css_hex(colour: str) -> str:
    """'rgb(r, g, b)' (as getComputedStyle gives it) as '#rrggbb'."""
    return "#" + "".join(f"{int(part):02x}" for part in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3])


def test_contrast_is_measured_as_wcag_does():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest AA grey on white
    assert over("#000000", "#ffffff", 0.6) == "#666666"


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_the_themes_texts_reach_aa_contrast(background):
    """Body text, captions and inline code in the theme's colours, and the primary colour as
    text (a selected tab or segment), are readable on every background Streamlit puts them
    on: also where axe-core cannot tell, as in the sidebar."""
    text, code, primary = THEME["textColor"], THEME["codeTextColor"], THEME["primaryColor"]
    shown = {"text": text, "caption": over(text, background, CAPTION_OPACITY), "primary": primary,
             "code in a caption": over(code, background, CAPTION_OPACITY)}
    low = {name: round(contrast(colour, background), 2) for name, colour in shown.items() if contrast(colour, background) < AA}
    assert not low, f"below {AA}:1 on {background}: {low}"


def test_chart_texts_reach_aa_contrast(scan):
    """Axis and legend texts (Streamlit's chart theme draws them in #808495, 3.7:1 on white;
    klynge/ui/charts.py sets darker ones)."""
    low = set()
    for spec in PAGES:
        for language in LANGUAGES:
            for text in scan(spec, language).chart_texts:
                fill, background = css_hex(text["fill"]), css_hex(text["background"])
                seen = over(fill, background, float(text["opacity"]))
                if contrast(seen, background) < AA:
                    low.add((spec.url_path, fill, background, round(contrast(seen, background), 2)))
    assert not low, f"chart texts below {AA}:1 (page, colour, background, ratio): {sorted(low)}"


def test_the_favicon_is_the_apps_own_and_loads(page, demo_server):
    from PIL import Image

    page.goto(page_url(demo_server.url, PAGES[0]))
    wait_for_app(page, settle_ms=0)
    icon = page.locator("link[rel~=icon]").first
    icon.wait_for(state="attached")
    href = page.evaluate("link => link.href", icon.element_handle())
    assert origin(href) == origin(demo_server.url) and urlsplit(href).path != "/", href
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/png")
    served, ours = Image.open(io.BytesIO(response.body())), Image.open(FAVICON)
    assert served.size == ours.size and served.convert("RGBA").tobytes() == ours.convert("RGBA").tobytes()


def test_a_request_to_another_origin_is_caught_and_aborted(page, demo_server, outside_requests):
    """The guard every browser test runs under (tests/browser/conftest.py): a fetch and a
    WebSocket to another origin (another port of this machine, where nothing listens) are
    recorded, and the fetch fails."""
    page.goto(page_url(demo_server.url, PAGES[0]))
    wait_for_app(page, settle_ms=0)
    outside_requests.take()  # nothing else is expected; the autouse check would have the rest
    error = page.evaluate("""() => fetch('http://127.0.0.1:1/font.woff2').then(() => 'sent', e => String(e))""")
    page.evaluate("""() => new Promise(done => {
        const socket = new WebSocket('ws://127.0.0.1:1/');
        socket.onerror = socket.onclose = done;
    })""")
    caught = outside_requests.take()
    assert error != "sent"
    assert caught == ["http://127.0.0.1:1/font.woff2", "ws://127.0.0.1:1/"]
