"""The one number type of requests and payloads: a figure is finite.

JSON has no NaN or Infinity: Python reads `1e309` as inf and `NaN` as nan, and pydantic writes either back as null,
which no consumer reads as a number. A non-finite figure let in by an API would reach every consumer's dead letters.
"""

from typing import Annotated

from pydantic import Field

Figure = Annotated[float, Field(allow_inf_nan=False)]
