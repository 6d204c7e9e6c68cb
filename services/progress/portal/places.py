"""Local governments by name, as the reference data names them: the pages show Kumanovo where events say
MK-KUMANOVO."""

from services.progress.portal.client import ApiRefused, ServiceApi


async def place_names(api: ServiceApi) -> dict[str, str]:
    """Each local government's name by its code; none when the reference data cannot be read, so codes stand in."""
    try:
        reference = await api.get("roadmaps", "/reference")
    except ApiRefused:
        return {}
    return {lg["code"]: lg["name"] for a in reference["associations"] for lg in a["local_governments"]}
