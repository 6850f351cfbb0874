"""The schema of a roadmap file, as pydantic models.

A roadmap is a tree of trackable items (``sections``). The master roadmap adds
projects (trackable through their milestones) and three views that only point
at items by id: the month-by-month ``plan``, ``key_skills`` and ``careers``.
Every id is a slug, unique within its roadmap; references are checked by the
loader after validation.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80),
    Field(description="lower-case letters, digits and single hyphens, e.g. 'http-basics'"),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)]

LEVELS = ("beginner", "intermediate", "advanced")


class Strict(BaseModel):
    """Base for every model: unknown keys are errors, values are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Resource(Strict):
    """A link to read, usually official documentation."""

    title: Text
    url: Url


class Item(Strict):
    """A trackable node. Leaves carry a status; a parent's status is derived."""

    id: Slug
    title: Text
    description: Text | None = None
    resources: list[Resource] = []
    skill: Slug | None = Field(
        default=None,
        description="shared skill key from skills.yaml; ticking it ticks it in every roadmap",
    )
    children: list[Item] = []


class Milestone(Strict):
    """One step of a project, ticked like a leaf item."""

    id: Slug
    title: Text
    description: Text | None = None


class Project(Strict):
    """A hands-on project; its milestones are the trackable leaves."""

    id: Slug
    title: Text
    level: Literal["beginner", "intermediate", "advanced"]
    brief: Text
    milestones: list[Milestone] = Field(min_length=1)
    skills: list[Slug] = Field(default=[], description="ids of the items the project exercises")
    resources: list[Resource] = []


class Month(Strict):
    """One month of the learning plan."""

    id: Slug
    month: int = Field(ge=1, le=36)
    title: Text
    description: Text | None = None
    items: list[Slug] = Field(min_length=1, description="ids of the items this month covers")


class KeySkill(Strict):
    """A skill to master, measured by the items it relates to."""

    id: Slug
    title: Text
    description: Text | None = None
    items: list[Slug] = Field(min_length=1, description="ids of the items that build this skill")


class Career(Strict):
    """A career path; readiness is the progress of what it requires."""

    id: Slug
    title: Text
    description: Text | None = None
    requires: list[Slug] = Field(min_length=1, description="ids of required sections or items")


class StudyMonth(Strict):
    """What an option adds to one month of the plan: items of its covered roadmap."""

    month: int = Field(ge=1, le=36, description="the plan month (its 'month' number)")
    items: list[Slug] = Field(min_length=1, description="ids of sections or items of the option's roadmap")


class FrameworkOption(Strict):
    """A framework the learner may pick for a language."""

    id: Slug
    title: Text
    description: Text | None = None
    competency: Slug = Field(description="id of this roadmap's item that stands for the framework")
    roadmap: Slug | None = Field(
        default=None, description="id of the covered roadmap to study (default: the language's)"
    )
    months: list[StudyMonth] = []


class LanguageOption(Strict):
    """A language the learner may pick, with the frameworks that go with it."""

    id: Slug
    title: Text
    description: Text | None = None
    roadmap: Slug = Field(description="id of the covered roadmap of the language")
    competency: Slug | None = Field(
        default=None, description="id of this roadmap's item that stands for the language"
    )
    months: list[StudyMonth] = []
    frameworks: list[FrameworkOption] = []


class PathChoices(Strict):
    """Where the learner picks a stack: the plan then counts only what is on the path."""

    languages: list[LanguageOption] = Field(min_length=1)


class Roadmap(Strict):
    """One roadmap file."""

    id: Slug
    title: Text
    description: Text | None = None
    resources: list[Resource] = []
    sections: list[Item] = Field(min_length=1)
    projects: list[Project] = []
    plan: list[Month] = []
    key_skills: list[KeySkill] = []
    careers: list[Career] = []
    covers: list[Slug] = Field(default=[], description="ids of other roadmaps this one covers")
    path: PathChoices | None = Field(
        default=None, description="the stacks a learner can choose (languages and their frameworks)"
    )


class SharedSkill(Strict):
    """An entry of ``skills.yaml``: a skill that several roadmaps share.

    A key says "learning this once is learning it everywhere". A language's or
    framework's own way of doing something is not shared with another's, unless
    the key says so with ``cross_language`` (the skill is the same in every
    language, as with regular expressions or the SOLID principles).
    """

    key: Slug
    title: Text
    cross_language: bool = Field(
        default=False,
        description="the skill is the same in every language and framework that teaches it",
    )


ProgressKey = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)?$", max_length=161),
    Field(
        description=(
            "a shared skill key ('sql-joins') or an item's own key, roadmap and item id "
            "('python/py-asyncio-basics')"
        )
    ),
]


class KeyMove(Strict):
    """Progress stored under a key no roadmap uses any more, and the keys it belongs to now.

    A split lists several keys in ``to`` (each gets the status and the note); a
    merge is two entries with the same ``to``. The old key is retired for good:
    no roadmap may use it again, which is what makes applying a move idempotent.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    source: ProgressKey = Field(alias="from", description="the retired key")
    to: list[ProgressKey] = Field(min_length=1, description="the keys that hold its progress now")


class SkillRegistry(Strict):
    """The ``skills.yaml`` file of a roadmaps folder."""

    skills: list[SharedSkill] = Field(min_length=1)
    moved: list[KeyMove] = Field(
        default=[], description="retired keys whose stored progress moves to other keys"
    )
