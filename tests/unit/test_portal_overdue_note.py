"""The dashboard says when its overdue lists hold only the longest overdue, in the page's language."""

from services.progress.portal.pages import environment
from sori.i18n import Formats

NOTE = '{% from "macros.html" import only_the_longest_overdue as note with context %}{{ note(shown, total) }}'


def note(lang: str, shown: int, total: int) -> str:
    return environment(lang).from_string(NOTE).render(fmt=Formats(lang), shown=shown, total=total).strip()


def test_a_list_cut_short_says_how_many_there_are_in_all() -> None:
    assert note("en", 100, 160432) == "<p>Only the 100 longest overdue of 160,432 are listed here.</p>"
    assert note("hr", 100, 160432) == "<p>Ovdje je navedeno samo 100 najduže zakašnjelih od ukupno 160.432.</p>"


def test_a_whole_list_says_nothing_more() -> None:
    assert note("en", 3, 3) == ""
