"""Social-approaches HTTP commands, under /social-approaches/v1."""

from fastapi import APIRouter

router = APIRouter(prefix="/social-approaches/v1", tags=["social-approaches"])
