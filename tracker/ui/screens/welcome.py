"""The welcome: what the app is, and the learner's stack, start date and pace (or skip)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from tracker.path import LearnerPath
from tracker.path_options import PathOptions
from tracker.ui.screens.dialog import Dialog
from tracker.ui.widgets.footer import KeysFooter

NO_FRAMEWORK = "__none__"
INTRO = (
    "Roadmap Tracker walks you through the Backend & Server Development roadmap: "
    "a ten-month plan, 20+ technology roadmaps, projects and career paths. "
    "Choose your stack and it dates the plan, tells you what to learn next and "
    "whether you are on track. You can change this later (ctrl+p, Choose your path)."
)


@dataclass(frozen=True)
class PathAnswer:
    """What the learner chose in the welcome (checked again by ``tracker.path.choose_path``)."""

    language: str
    framework: str | None
    start: date
    weeks_per_month: int | None


class WelcomeScreen(Dialog[PathAnswer | None]):
    """Choose a language, a framework, a start date and a pace; ``None`` means browse without one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Skip, just browse"),
        Binding("ctrl+s", "start", "Start"),
    ]

    def __init__(self, options: PathOptions, current: LearnerPath | None, today: date):
        super().__init__()
        self.options = options
        self.current = current
        self.today = today

    def compose(self) -> ComposeResult:
        languages = [(Content(language.title), language.id) for language in self.options.languages]
        language = self.current.language if self.current else self.options.languages[0].id
        with Vertical(id="welcome-body") as body:
            body.border_title = "Welcome" if self.current is None else "Your path"
            yield Static(INTRO, id="welcome-intro")
            with Grid(id="welcome-fields"):
                yield Label("Language")
                yield Select(languages, value=language, allow_blank=False, id="language")
                yield Label("Framework")
                self._language = language
                framework = self.current.framework if self.current and self.current.framework else None
                choices = self._frameworks(language)
                value = framework if framework in {v for _, v in choices} else choices[0][1]
                yield Select(choices, value=value, allow_blank=False, id="framework")
                yield Label("Start")
                start = self.current.start if self.current else self.today
                yield Input(start.isoformat(), placeholder="YYYY-MM-DD", id="start")
                yield Label("Weeks")
                weeks = self.current.weeks_per_month if self.current else None
                yield Input(
                    str(weeks or ""), placeholder="per plan month (blank: calendar months)", id="weeks"
                )
            yield Static(id="welcome-problem")
            with Horizontal(id="welcome-buttons"):
                yield Button("Start", variant="primary", id="start-path")
                yield Button("Skip, just browse", id="skip")
        yield KeysFooter()

    def _frameworks(self, language_id: str) -> list[tuple[Content, str]]:
        language = self.options.language(language_id)
        choices = [(Content(framework.title), framework.id) for framework in language.frameworks]
        return [*choices, (Content("None yet: the language only"), NO_FRAMEWORK)]

    @on(Select.Changed, "#language")
    def _language_changed(self, event: Select.Changed) -> None:
        if str(event.value) == self._language:
            return  # the language shown at first: keep the framework chosen before
        self._language = str(event.value)
        self.query_one("#framework", Select).set_options(self._frameworks(self._language))

    @on(Button.Pressed, "#skip")
    def _skip(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#start-path")
    @on(Input.Submitted)
    def action_start(self) -> None:
        problem = self.query_one("#welcome-problem", Static)
        try:
            answer = self._answer()
        except ValueError as error:
            problem.update(Content(f"✘ {error}"))
            problem.add_class("-error")
            return
        self.dismiss(answer)

    def _answer(self) -> PathAnswer:
        framework = str(self.query_one("#framework", Select).value)
        text = self.query_one("#start", Input).value.strip()
        try:
            start = date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"the start date '{text}' is not a date like 2027-01-31") from None
        weeks_text = self.query_one("#weeks", Input).value.strip()
        if weeks_text and not weeks_text.isdigit():
            raise ValueError(f"weeks per plan month must be a whole number, not '{weeks_text}'")
        return PathAnswer(
            str(self.query_one("#language", Select).value),
            None if framework == NO_FRAMEWORK else framework,
            start,
            int(weeks_text) if weeks_text else None,
        )
