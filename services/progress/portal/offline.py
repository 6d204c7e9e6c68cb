"""The portal as an installable web app: its manifest, its icons (drawn from favicon.svg) and its service worker,
which keeps the reporting pages and their assets for when the connection drops (README, "Reporting offline")."""

import io
import json
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Response
from PIL import Image, ImageDraw, ImageFont

from services.progress.portal.pages import AnyPage
from services.progress.portal.refusals import PageRefused
from services.progress.portal.route import PortalRoute
from sori.version import __version__

STATIC = Path(__file__).parent / "static"
FONT = Path(__file__).parents[1] / "reports" / "fonts" / "DejaVuSans-Bold.ttf"
SVG = "{http://www.w3.org/2000/svg}"
# Each icon: its name, its side in pixels, and whether it is "maskable" (full bleed: the platform cuts its own
# shape, so the background fills the square and the letter stays inside the central safe zone).
ICONS = {"icon-192": (192, False), "icon-512": (512, False), "maskable-512": (512, True)}
SAFE_ZONE = 0.8
router = APIRouter(route_class=PortalRoute, include_in_schema=False)


def _element(svg: ET.Element, tag: str) -> ET.Element:
    found = svg.find(f"{SVG}{tag}")
    if found is None:
        raise ValueError(f"favicon.svg has no <{tag}> to draw")
    return found


@cache
def icon_png(name: str) -> bytes:
    """favicon.svg (a rounded square and one letter) drawn at the icon's size: one source for every icon."""
    size, maskable = ICONS[name]
    svg = ET.parse(STATIC / "favicon.svg").getroot()
    box = float(svg.attrib["viewBox"].split()[2])
    rect, text = _element(svg, "rect"), _element(svg, "text")
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    radius = 0 if maskable else round(float(rect.attrib["rx"]) * size / box)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=radius, fill=rect.attrib["fill"])
    scale = size / box * (SAFE_ZONE if maskable else 1.0)
    font = ImageFont.truetype(str(FONT), round(float(text.attrib["font-size"]) * scale))
    # The SVG places the letter's baseline at y within the box; here it is centred the same way around the middle.
    baseline = size / 2 + (float(text.attrib["y"]) - box / 2) * scale
    draw.text((size / 2, baseline), text.text or "", fill=text.attrib["fill"], font=font, anchor="ms")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


@router.get("/icons/{name}.png")
async def icon(name: str, page: AnyPage) -> Response:
    if name not in ICONS:
        raise PageRefused(404, page.gettext("There is no such page."))
    return Response(icon_png(name), media_type="image/png", headers={"Cache-Control": "public, max-age=86400"})


@router.get("/manifest.webmanifest")
async def manifest(page: AnyPage) -> Response:
    """What a phone needs to install the portal, named in the person's language."""
    icons = [
        {"src": f"/icons/{name}.png", "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
        for name, (size, maskable) in ICONS.items()
        for purpose in ["maskable" if maskable else "any"]
    ]
    described = {
        "id": "/",
        "name": f"SoRi · {page.gettext('Social inclusion roadmaps')}",
        "short_name": "SoRi",
        "description": page.gettext("SoRi tracks the regional roadmap of the NALAS Working Group on Social Inclusion."),
        "lang": page.lang,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5394",
        "icons": [*icons, {"src": "/static/favicon.svg", "sizes": "any", "type": "image/svg+xml"}],
    }
    return Response(
        json.dumps(described, ensure_ascii=False),
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache", "Vary": "Cookie"},
    )


@router.get("/service-worker.js")
async def service_worker() -> Response:
    """Served from the site's root, so that its scope is the whole portal; never taken from an HTTP cache, so that
    a new release's worker replaces the old one at the next visit. The release names its caches."""
    script = (STATIC / "service-worker.js").read_text(encoding="utf-8").replace("__SORI_VERSION__", __version__)
    return Response(
        script,
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/", "X-Content-Type-Options": "nosniff"},
    )
