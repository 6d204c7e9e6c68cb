"""Social-approaches API bodies, with their OpenAPI examples: one module per resource of api/, and here what
mappings and approaches share."""

from pydantic import JsonValue

from contracts.social_approaches import GroupCount
from contracts.text import Code

ROMA_WOMEN: dict[str, JsonValue] = {
    "group": "roma",
    "total": 120,
    "by_sex": {"female": 64, "male": 56},
    "by_age_band": {"0-17": 50, "18-64": 60, "65+": 10},
}


class GroupFigures(GroupCount):
    """A group's counts as a person gives them: the group's code under the rules of every text they type."""

    group: Code
