"""The portal's footer names the SoRi version that serves it (pyproject.toml's, as everything else says it)."""

from contracts.envelope import Role
from sori.version import __version__
from tests.service.portal_fakes import Portal


async def test_the_footer_names_the_version(portal: Portal) -> None:
    portal.sign_in_as(Role.NALAS)

    page = await portal.http.get("/")

    assert f'<span class="version">SoRi {__version__}</span>' in page.text
