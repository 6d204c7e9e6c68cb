"""Who may do what in notifications: nalas manages people and webhooks; everyone signed in has an inbox."""

from typing import Any

import pytest

from contracts.envelope import Role
from tests.support.notifications import PREFIX, register
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens

PEOPLE: dict[str, tuple[Role, str] | None] = {
    "nalas": (Role.NALAS, "NALAS"),
    "lga": (Role.LGA, "ZELS"),
    "lg": (Role.LG, "ZELS-KAVADARCI"),
    "observer": (Role.OBSERVER, "NALAS"),
    "no token": None,
}
PERSON = {"sub": "new@zels", "name": "N", "email": "n@zels.example", "organisation": "ZELS", "role": "lga"}
HOOK = {"url": "https://hooks.example.org/sori", "event_types": ["*"]}
PREFERENCES = {"language": "mk", "channel": "portal", "frequency": "daily"}

# command → (method, path, body, status for nalas, status for the other signed-in roles)
COMMANDS: dict[str, tuple[str, str, dict[str, Any] | None, int, int]] = {
    "register a person": ("POST", "/people", PERSON, 201, 403),
    "list people": ("GET", "/people", None, 200, 403),
    "subscribe a webhook": ("POST", "/webhooks", HOOK, 201, 403),
    "list webhooks": ("GET", "/webhooks", None, 200, 403),
    "read a webhook's deliveries": ("GET", "/webhooks/{hook}/deliveries", None, 200, 403),
    "change a webhook": ("PATCH", "/webhooks/{hook}", {"enabled": False}, 200, 403),
    "rotate a webhook's secret": ("POST", "/webhooks/{hook}/secret", None, 200, 403),
    "unsubscribe a webhook": ("DELETE", "/webhooks/{hook}", None, 204, 403),
    "read the local mail": ("GET", "/mail", None, 200, 403),
    "read my inbox": ("GET", "/inbox", None, 200, 200),
    "change my preferences": ("PUT", "/people/me/preferences", PREFERENCES, 200, 200),
    "read who I am": ("GET", "/people/me", None, 200, 200),
}


@pytest.mark.parametrize("who", list(PEOPLE))
@pytest.mark.parametrize("command", list(COMMANDS))
async def test_role_table(notifications: ServiceUnderTest, tokens: Tokens, command: str, who: str) -> None:
    method, path, body, for_nalas, for_others = COMMANDS[command]
    nalas = tokens.header(Role.NALAS, "NALAS")
    hook = await notifications.http.post(f"{PREFIX}/webhooks", json=HOOK, headers=nalas)
    person = PEOPLE[who]
    headers: dict[str, str] = {}
    if person is not None:
        role, org = person
        await register(notifications, tokens, f"{who}-person", org, role)
        headers = tokens.header(role, org, f"{who}-person")
    response = await notifications.http.request(
        method, PREFIX + path.format(hook=hook.json()["id"]), json=body, headers=headers
    )
    expected = 401 if person is None else for_nalas if person[0] is Role.NALAS else for_others
    assert response.status_code == expected, response.text
    if expected == 403:
        assert "only NALAS" in response.json()["detail"]
