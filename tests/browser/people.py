"""The people of a browser story: each signs in through the portal's sign-in page with their own token, in their
own browser context (so their session cookies never mix), and looks at pages — every look is photographed and
checked with axe, and what axe finds is kept for the test to report at its end (every page's, not the first's)."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from contracts.envelope import Role
from sori.auth import issue_token
from sori_cli.stack.child import RunningStack
from tests.browser.album import Album
from tests.browser.axe import axe_findings, describe

PHONE = ViewportSize(width=360, height=780)
DESKTOP = ViewportSize(width=1280, height=900)


@dataclass
class Person:
    page: Page
    album: Album
    findings: list[str]
    lang: str = "en"

    def open(self, path: str) -> Page:
        self.page.goto(path)
        return self.page

    def speak(self, lang: str) -> None:
        """Choose the language with the picker every page carries (found by place: its labels are translated)."""
        if lang == self.lang:
            return
        picker = self.page.locator("form[action='/language']")
        picker.get_by_role("combobox").select_option(lang)
        picker.get_by_role("button").click()
        expect(self.page.locator("html")).to_have_attribute("lang", lang)
        self.lang = lang

    def look(self, name: str) -> None:
        """Keep a full-page screenshot of what the person sees, and whatever axe finds wrong with it."""
        self.album.keep(self.page, name, self.lang)
        violations = axe_findings(self.page)
        if violations:
            self.findings.append(f"{name} in {self.lang} ({self.page.url}):\n{describe(violations)}")


@dataclass
class Portal:
    stack: RunningStack
    browser: Browser
    album: Album
    contexts: list[BrowserContext] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    def token(self, role: Role, org: str) -> str:
        secret = (self.stack.home / "secret").read_text().strip()
        return issue_token(secret, sub=f"{role.value}@{org}", org=org, role=role, ttl=timedelta(hours=2))

    def stranger(self, *, phone: bool = False, javascript: bool = True) -> Person:
        """Someone who has not signed in yet (in a browser that runs the portal's script, unless told otherwise)."""
        context = self.browser.new_context(
            base_url=self.stack.url("progress"),
            viewport=PHONE if phone else DESKTOP,
            locale="en-GB",
            java_script_enabled=javascript,
        )
        self.contexts.append(context)
        return Person(context.new_page(), self.album, self.findings)

    def person(self, role: Role, org: str, *, lang: str = "en", phone: bool = False, javascript: bool = True) -> Person:
        """Someone signed in through the sign-in page with a token for `org` as `role`, speaking `lang`."""
        person = self.stranger(phone=phone, javascript=javascript)
        sign_in(person.page, self.token(role, org))
        person.speak(lang)
        return person

    def assert_accessible(self) -> None:
        """No page anyone looked at had anything for axe to find."""
        if self.findings:
            pytest.fail("axe found violations:\n\n" + "\n\n".join(self.findings), pytrace=False)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def sign_in(page: Page, token: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Access token").fill(token)
    page.get_by_role("button", name="Sign in").click()
