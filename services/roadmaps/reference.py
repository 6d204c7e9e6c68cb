"""Reference data as tables: programmes, economies, associations, local governments, vulnerable groups, topics."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from contracts.text import Code, Name, SingleLine
from services.roadmaps.models import RoadmapsTable
from sori.columns import UTCDateTime

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,49}$"


Remark = Annotated[str, SingleLine(200, min_length=0)]  # a line that may stay empty


class ReferenceLoad(RoadmapsTable, table=True):
    """A version of reference_data.json that is in the tables; a version is loaded once."""

    version: str = Field(primary_key=True, max_length=40)
    loaded_at: datetime = Field(sa_type=UTCDateTime)


class ProgrammeBase(SQLModel):
    name: Name = Field(schema_extra={"examples": ["Social inclusion roadmap (SoRi), third phase"]})
    starts_on: date = Field(schema_extra={"examples": ["2022-12-01"]})
    ends_on: date = Field(schema_extra={"examples": ["2025-11-30"]})
    note: Remark = ""


class Programme(ProgrammeBase, RoadmapsTable, table=True):
    code: str = Field(primary_key=True, max_length=50)


class ProgrammePublic(ProgrammeBase):
    code: str


class EconomyBase(SQLModel):
    name: Name = Field(schema_extra={"examples": ["North Macedonia"]})


class Economy(EconomyBase, RoadmapsTable, table=True):
    code: str = Field(primary_key=True, max_length=50)


class EconomyPublic(EconomyBase):
    code: str


class AssociationBase(SQLModel):
    name: Name = Field(
        schema_extra={"examples": ["Association of the Units of Local Self-Government of North Macedonia"]}
    )
    economy: Code = Field(schema_extra={"examples": ["MK"]})


class Association(AssociationBase, RoadmapsTable, table=True):
    code: str = Field(primary_key=True, max_length=50)


class LocalGovernmentBase(SQLModel):
    name: Name = Field(schema_extra={"examples": ["Kumanovo"]})
    association: Code = Field(schema_extra={"examples": ["ZELS"]})
    note: Remark = Field(default="", schema_extra={"examples": ["illustrative demo data"]})


class LocalGovernment(LocalGovernmentBase, RoadmapsTable, table=True):
    code: str = Field(primary_key=True, max_length=50)


class LocalGovernmentPublic(LocalGovernmentBase):
    code: str


class AssociationPublic(AssociationBase):
    code: str
    local_governments: list[LocalGovernmentPublic]


class LabelBase(SQLModel):
    label: Name = Field(schema_extra={"examples": ["Persons with disabilities"]})


class VulnerableGroup(LabelBase, RoadmapsTable, table=True):
    code: str = Field(primary_key=True, max_length=50)


class SocialTopic(LabelBase, RoadmapsTable, table=True):
    code: str = Field(primary_key=True, max_length=50)


class LabelPublic(LabelBase):
    code: str


class ReferencePublic(BaseModel):
    version: str | None
    programmes: list[ProgrammePublic]
    economies: list[EconomyPublic]
    associations: list[AssociationPublic]
    groups: list[LabelPublic]
    topics: list[LabelPublic]
