"""What a recommendation says — the part that is versioned — and a revision of it (only the changed fields)."""

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from contracts.languages import Language
from contracts.text import NARRATIVE, Code, MultiLine, SingleLine, Title

LongText = Annotated[str, MultiLine(NARRATIVE, min_length=0)]
# An SDG target: goal 1 to 17, then a numbered (10.2) or lettered (5.a) target.
SdgTarget = Annotated[str, Field(pattern=r"^(1[0-7]|[1-9])\.([1-9][0-9]?|[a-z])$", max_length=5, examples=["10.2"])]


class ResponsibleLevel(StrEnum):
    LOCAL_GOVERNMENT = "lg"
    ASSOCIATION = "lga"
    CENTRAL = "central"


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Title = Field(examples=["day-care places in rural settlements"])
    baseline: Annotated[str, SingleLine(100, min_length=0)] = Field(default="", examples=["0"])
    target: Annotated[str, SingleLine(100)] = Field(examples=["40 by 2025"])


class ExpectedResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    result: Annotated[str, MultiLine(1_000)] = Field(examples=["persons with disabilities use day care near home"])
    indicators: list[Indicator] = Field(default_factory=list, max_length=20)


class Translation(BaseModel):
    """The same recommendation in another language; absent texts are not translated yet."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    problem_statement: LongText = ""
    evidence: LongText = ""
    proposed_measures: LongText = ""


def _unique(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(codes))


EXAMPLE: dict[str, Any] = {
    "title": "Day-care services for persons with disabilities in rural areas",
    "problem_statement": "Rural families caring for a person with a disability have no day care within reach.",
    "evidence": "Social mapping in Kumanovo (2023): 62% of such households live over 15 km from a centre.",
    "proposed_measures": "Open two satellite day-care units and a transport service with the social-work centre.",
    "target_groups": ["persons_with_disabilities", "rural_residents"],
    "topics": ["social_services"],
    "sdg_targets": ["10.2", "1.3"],
    "responsible_level": "lg",
    "expected_results": [
        {
            "result": "Persons with disabilities in rural areas use day care near home",
            "indicators": [{"name": "day-care places in rural settlements", "baseline": "0", "target": "40"}],
        }
    ],
    "priority": "high",
    "language": "en",
    "translations": {"sq": {"title": "Shërbime ditore për personat me aftësi të kufizuara në zonat rurale"}},
}


class RecommendationText(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    title: Title
    problem_statement: LongText = Field(default="", description="the problem, as the evidence shows it")
    evidence: LongText = Field(default="", description="what the problem statement rests on: data, mapping, studies")
    proposed_measures: LongText = ""
    target_groups: list[Code] = Field(default_factory=list, max_length=30, description="vulnerable-group codes")
    topics: list[Code] = Field(default_factory=list, max_length=30, description="social-topic codes")
    sdg_targets: list[SdgTarget] = Field(default_factory=list, max_length=30)
    responsible_level: ResponsibleLevel = ResponsibleLevel.LOCAL_GOVERNMENT
    expected_results: list[ExpectedResult] = Field(default_factory=list, max_length=20)
    priority: Priority = Priority.MEDIUM
    language: Language = Field(default=Language.ENGLISH, description="the language the texts above are written in")
    translations: dict[Language, Translation] = Field(default_factory=dict)

    _dedupe = field_validator("target_groups", "topics", "sdg_targets")(_unique)

    @model_validator(mode="after")
    def _translations_are_into_other_languages(self) -> "RecommendationText":
        if self.language in self.translations:
            raise ValueError(f"translations must be into other languages than the text's own ({self.language.value})")
        return self


class RecommendationRevision(BaseModel):
    """Only the fields that change; each has the meaning and limits it has in RecommendationText."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"proposed_measures": "Open three satellite units.", "sdg_targets": ["10.2", "1.3", "3.8"]}]
        },
    )

    title: Title | None = None
    problem_statement: LongText | None = None
    evidence: LongText | None = None
    proposed_measures: LongText | None = None
    target_groups: list[Code] | None = Field(default=None, max_length=30)
    topics: list[Code] | None = Field(default=None, max_length=30)
    sdg_targets: list[SdgTarget] | None = Field(default=None, max_length=30)
    responsible_level: ResponsibleLevel | None = None
    expected_results: list[ExpectedResult] | None = Field(default=None, max_length=20)
    priority: Priority | None = None
    language: Language | None = None
    translations: dict[Language, Translation] | None = None

    def changes(self) -> dict[str, Any]:
        """The fields the sender named, as JSON; an explicit null stays in, so that the revised text refuses it."""
        return self.model_dump(mode="json", exclude_unset=True)


def revised(current: dict[str, Any], changes: dict[str, Any]) -> RecommendationText:
    """The text after a revision; raises pydantic's ValidationError when the result is not a valid text."""
    return RecommendationText.model_validate({**current, **changes})
