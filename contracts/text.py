"""How long a text may be, and what a text a person types may hold: one rule for every API body and event payload.

API bodies use the constrained types (`Annotated[str, SingleLine(TITLE)]`): stripped, non-empty unless said
otherwise, bounded, and free of control characters (a single line refuses all of them; a multi-line text keeps line
feeds and tabs, and takes a browser's CR LF as LF). Event payloads carry the same bounds as plain `max_length`s and
nothing more, so that an event published before these rules still parses when a topic is replayed.
"""

import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from annotated_types import MaxLen
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

# Bounds in characters. An event's bounds together keep it well under the broker's 1 MB message limit.
CODE = 50  # an organisation's, indicator's, group's or topic's code
NAME = 200  # a person's or file's name, a subject
TITLE = 300
REASON = 4_000  # one of a decision's comments or reasons
NOTE = 10_000  # a decision's reason, a verification note, a comment on a version
NARRATIVE = 20_000
URL = 2_000
FILE_NAME = 255  # what most file systems allow

# Bounds in items.
FEW = 20  # e.g. comments of one decision, indicators of one milestone, entries of one breakdown
MANY = 100  # e.g. milestones of one plan, groups of one mapping

_MULTI_LINE_CONTROLS = r"\x00-\x08\x0b-\x1f\x7f-\x9f"  # all of C0 and C1 but tab (09) and line feed (0a)


@dataclass(frozen=True)
class _Text(MaxLen):
    """A str marker that owns every rule of its field, so that an error names the rule (pydantic's own length check
    on top of a validator would speak of "items") and sqlmodel finds the bound for the column (it reads a MaxLen)."""

    min_length: int = 1
    pattern: str | None = None  # a shape of its own (e.g. an address's), checked besides the control characters
    controls: ClassVar[str]  # the characters refused, as the inside of a regex class
    what: ClassVar[str]

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        bounded = core_schema.str_schema(
            strip_whitespace=True, min_length=self.min_length, max_length=self.max_length, pattern=self.pattern
        )
        checked = core_schema.no_info_after_validator_function(self._refuse_controls, bounded)
        return core_schema.no_info_before_validator_function(self._received, checked)

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        document = handler(schema)
        document["pattern"] = self.pattern or f"^[^{self.controls}]*$"
        return document

    def _received(self, value: Any) -> Any:
        return value

    def _refuse_controls(self, text: str) -> str:
        found = re.search(f"[{self.controls}]", text)
        if found:
            raise ValueError(
                f"{self.what} may not hold the control character U+{ord(found[0]):04X} (at {found.start()})"
            )
        return text


@dataclass(frozen=True)
class SingleLine(_Text):
    """A title, name or code: no control character at all (a line break in a title would become a mail header)."""

    controls: ClassVar[str] = r"\x00-\x1f\x7f-\x9f"
    what: ClassVar[str] = "a single-line text"


@dataclass(frozen=True)
class MultiLine(_Text):
    """A narrative or comment: line feeds and tabs, no other control character."""

    controls: ClassVar[str] = _MULTI_LINE_CONTROLS
    what: ClassVar[str] = "a text"

    def _received(self, value: Any) -> Any:
        return value.replace("\r\n", "\n") if isinstance(value, str) else value  # a browser's textarea sends CR LF


Code = Annotated[str, SingleLine(CODE)]
Name = Annotated[str, SingleLine(NAME)]
Title = Annotated[str, SingleLine(TITLE)]
Reason = Annotated[str, MultiLine(REASON)]
Note = Annotated[str, MultiLine(NOTE)]
Narrative = Annotated[str, MultiLine(NARRATIVE)]
