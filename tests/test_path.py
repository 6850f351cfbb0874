"""The learner's path: choosing, storing, replanning, and what is on it."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.catalog import Catalog
from tracker.guide import Restart
from tracker.path import (
    PATH_SETTING,
    LearnerPath,
    PathChoiceError,
    choose_path,
    path_months,
    path_options,
    read_path,
    replan_path,
    save_path,
    scope_for,
)
from tracker.store import Store

MASTER = "backend-server"
TODAY = date(2026, 1, 5)


def test_every_covered_language_is_a_choice(bundled_catalog: Catalog) -> None:
    options = path_options(bundled_catalog)
    assert options is not None and options.master_id == MASTER
    roadmaps = {language.roadmap_id for language in options.languages}
    assert roadmaps == {"nodejs", "python", "java", "golang", "php", "aspnet-core", "kotlin", "rust", "cpp"}
    frameworks = {language.id: language.framework_ids for language in options.languages}
    assert frameworks["python"] == ["django", "flask", "fastapi"]
    assert frameworks["nodejs"] == ["express", "nestjs"]
    assert frameworks["go"] == ["gin", "stdlib"]
    assert frameworks["rust"] == ["axum", "actix"]
    master = bundled_catalog.roadmap(MASTER)
    for language in options.languages:
        for framework in language.frameworks:
            assert framework.competency in master.nodes, (language.id, framework.id)


def test_choose_path_defaults_to_today_and_no_framework(bundled_catalog: Catalog) -> None:
    path = choose_path(bundled_catalog, "python", None, None, None, TODAY)
    assert path == LearnerPath("python", None, TODAY, None)


@pytest.mark.parametrize(
    ("language", "framework", "words"),
    [
        ("cobol", None, ["unknown language 'cobol'", "python", "rust", "cpp"]),
        ("pyhton", None, ["did you mean 'python'"]),
        ("python", "laravel", ["unknown framework 'laravel' for Python", "django, flask, fastapi"]),
        ("cpp", "drogon", ["C++ has no frameworks"]),
    ],
)
def test_unknown_choices_are_one_line_listing_the_valid_ids(
    bundled_catalog: Catalog, language: str, framework: str | None, words: list[str]
) -> None:
    with pytest.raises(PathChoiceError) as caught:
        choose_path(bundled_catalog, language, framework, None, None, TODAY)
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_weeks_per_month_is_checked(bundled_catalog: Catalog) -> None:
    with pytest.raises(PathChoiceError, match="weeks per month"):
        choose_path(bundled_catalog, "python", None, None, 0, TODAY)


def test_saved_path_reads_back_with_its_time(bundled_catalog: Catalog, store: Store) -> None:
    path = choose_path(bundled_catalog, "go", "gin", date(2026, 2, 1), 6, TODAY)
    path = LearnerPath(path.language, path.framework, path.start, 6, (Restart(3, date(2026, 6, 1)),))
    stored = save_path(store, path)
    assert stored.updated == "2026-01-05T09:00:00.000Z"
    assert read_path(store) == stored


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not json",
        "[]",
        "{}",
        '{"language": 3, "start": "2026-01-01"}',
        '{"language": "python", "start": "2026-13-01"}',
        '{"language": "python", "start": "2026-01-01", "weeks_per_month": 0}',
        '{"language": "python", "start": "2026-01-01", "weeks_per_month": true}',
        '{"language": "python", "start": "2026-01-01", "restarts": [{"month": 99, "on": "2026-02-01"}]}',
        '{"language": "python", "start": "2026-01-01", "restarts": [{"month": 2, "on": "2025-01-01"}]}',
        '{"language": "python", "start": "2026-01-01", "restarts": "x"}',
        '{"language": "python", "start": "9999-12-31"}',
        "[" * 100000,
    ],
)
def test_a_malformed_setting_is_no_path(store: Store, value: str) -> None:
    store.set_setting(PATH_SETTING, value)
    assert read_path(store) is None


def test_no_setting_is_no_path(store: Store) -> None:
    assert read_path(store) is None


# -- scope -----------------------------------------------------------------------------------


def test_unchosen_alternatives_are_off_the_path(bundled_catalog: Catalog) -> None:
    master = bundled_catalog.roadmap(MASTER)
    scope = scope_for(bundled_catalog, LearnerPath("python", "fastapi", TODAY))
    off = {node.id for node in master.nodes.values() if scope.is_off_path(node)}
    assert {"py-django", "py-flask", "nodejs-express", "node-nestjs", "spring-ecosystem"} <= off
    assert {"aspnet-core-csharp", "go-gin", "rust-axum", "php-laravel", "kotlin-ktor"} <= off
    assert not off & {"py-fastapi", "py-orm", "py-testing", "python-frameworks", "tier-2-framework-mastery"}
    assert not off & {"req-routing", "http-web-basics", "proj-todo-backend", "routing-middleware"}
    assert "req-other-frameworks" in off  # every leaf under it belongs to another language


def test_a_covered_section_of_an_unchosen_framework_is_off_the_path(bundled_catalog: Catalog) -> None:
    python = bundled_catalog.roadmap("python")
    scope = scope_for(bundled_catalog, LearnerPath("python", "fastapi", TODAY))
    assert scope.is_off_path(python.node("py-django"))
    assert not scope.is_off_path(python.node("py-fastapi"))
    assert not scope.is_off_path(python.node("py-web"))  # it holds FastAPI
    assert not scope.is_off_path(python.node("py-basics"))


def test_the_language_alone_keeps_its_competency_but_not_the_frameworks(bundled_catalog: Catalog) -> None:
    master = bundled_catalog.roadmap(MASTER)
    scope = scope_for(bundled_catalog, LearnerPath("python", None, TODAY))
    assert not scope.is_off_path(master.node("py-orm"))
    assert scope.is_off_path(master.node("py-fastapi"))


def test_one_framework_named_by_two_languages(bundled_catalog: Catalog) -> None:
    master = bundled_catalog.roadmap(MASTER)
    kotlin = scope_for(bundled_catalog, LearnerPath("kotlin", "spring-boot", TODAY))
    assert not kotlin.is_off_path(master.node("spring-web-mvc"))
    assert kotlin.is_off_path(master.node("kotlin-ktor"))


def test_without_a_path_nothing_is_off(bundled_catalog: Catalog) -> None:
    scope = scope_for(bundled_catalog, None)
    assert not any(scope.is_off_path(n) for n in bundled_catalog.roadmap(MASTER).nodes.values())


def test_a_stale_path_scopes_nothing(bundled_catalog: Catalog) -> None:
    scope = scope_for(bundled_catalog, LearnerPath("cobol", None, TODAY))
    assert not scope.active


# -- months ----------------------------------------------------------------------------------


def test_months_hold_only_the_path_each_key_once(bundled_catalog: Catalog) -> None:
    months = path_months(bundled_catalog, scope_for(bundled_catalog, LearnerPath("python", "fastapi", TODAY)))
    assert [month.number for month in months] == list(range(1, 11))
    keys = [item.key for month in months for item in month.items]
    assert len(keys) == len(set(keys))
    month_three = {(item.roadmap_id, item.id) for item in months[2].items}
    assert ("backend-server", "py-fastapi") in month_three
    assert ("backend-server", "py-django") not in month_three
    assert ("backend-server", "node-express-apps") not in month_three
    month_three_keys = {item.key for item in months[2].items}
    python = bundled_catalog.roadmaps["python"]
    for item_id in ("py-fastapi-basics", "py-wsgi-asgi"):  # by key: a shared skill counts once
        assert python.nodes[item_id].key in month_three_keys
    assert not any(item_id.startswith("py-django") for _, item_id in month_three)
    first = [(item.roadmap_id, item.id) for item in months[0].items]
    assert ("python", "py-install-run") in first
    assert first.index(("backend-server", "http-how-internet-works")) < first.index(
        ("python", "py-install-run")
    )
    assert all(item.is_leaf for month in months for item in month.items)


def test_without_a_path_months_are_the_whole_plan(bundled_catalog: Catalog) -> None:
    months = path_months(bundled_catalog, scope_for(bundled_catalog, None))
    ids = {item.id for item in months[2].items}
    assert {"py-django", "py-fastapi", "node-express-apps", "spring-web-mvc"} <= ids
    assert all(item.roadmap_id == MASTER for month in months for item in month.items)


def test_replan_dates_the_first_unfinished_month_from_today(bundled_catalog: Catalog) -> None:
    path = LearnerPath("python", "fastapi", date(2026, 1, 1))
    months = path_months(bundled_catalog, scope_for(bundled_catalog, path))
    done = {item.key: "done" for item in months[0].items}
    replanned = replan_path(bundled_catalog, path, done, date(2026, 4, 10))
    assert replanned.restarts == (Restart(2, date(2026, 4, 10)),)
    assert replanned.schedule(10)[0].start == date(2026, 1, 1)
    assert replanned.schedule(10)[1].start == date(2026, 4, 10)
    assert replan_path(bundled_catalog, path, done, date(2026, 1, 20)) == path  # month 2 not begun
