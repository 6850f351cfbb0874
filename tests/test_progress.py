"""Progress maths: lazily built roadmaps, and incremental counts that match a fresh count."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from tracker.catalog import Catalog, load_catalog
from tracker.locations import bundled_roadmaps_dir
from tracker.progress import Counts, ProgressIndex, counts_text, percent_text, shown_percent

STATUSES = ("todo", "doing", "done", "skipped")


def every_count(catalog: Catalog, progress: ProgressIndex) -> dict:
    """Counts of every node, every roadmap and overall, as plain tuples."""

    def plain(counts: Counts) -> tuple[int, int, int, int]:
        return counts.total, counts.done, counts.doing, counts.skipped

    result: dict = {"overall": plain(progress.overall())}
    for roadmap in catalog.roadmaps.values():
        result[roadmap.id] = plain(progress.roadmap(roadmap.id))
        for node in roadmap.nodes.values():
            result[f"{roadmap.id}/{node.id}"] = (plain(progress.counts(node)), progress.status(node))
    return result


def test_leaf_keys_read_from_data_match_the_built_leaves(bundled_catalog: Catalog) -> None:
    for roadmap in bundled_catalog.roadmaps.values():
        assert roadmap.leaf_keys == tuple(leaf.key for leaf in roadmap.leaves), roadmap.id


def test_roadmaps_are_built_only_when_their_nodes_are_needed() -> None:
    catalog = load_catalog([bundled_roadmaps_dir()])
    shared = "skill:regex"
    progress = ProgressIndex(catalog, {shared: "done"})
    assert progress.roadmap("python").done == catalog.roadmaps["python"].key_counts[shared] >= 1
    assert progress.overall().done == 1  # counted from keys alone
    assert not any(roadmap.is_built for roadmap in catalog.roadmaps.values())
    first = catalog.roadmaps["backend-server"]
    assert progress.counts(first.sections[0]).total > 0
    assert [r.id for r in catalog.roadmaps.values() if r.is_built] == ["backend-server"]


def test_a_roadmap_asked_for_by_several_threads_at_once_is_built_once(monkeypatch) -> None:
    import time
    from concurrent.futures import ThreadPoolExecutor

    from tracker.catalog import RoadmapIndex

    build = RoadmapIndex._build

    def slow_build(self):
        time.sleep(0.05)  # every thread is asking while the first one builds
        return build(self)

    monkeypatch.setattr(RoadmapIndex, "_build", slow_build)
    catalog = load_catalog([bundled_roadmaps_dir()])
    roadmap = catalog.roadmaps["backend-developer"]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: (roadmap.sections, roadmap.nodes, roadmap.plan), range(8)))
    sections, nodes, _ = results[0]
    assert all(r[0] is sections and r[1] is nodes for r in results)
    assert all(nodes[node.id] is node for root in sections for node in root.walk())


def test_incremental_updates_match_a_fresh_count(bundled_catalog: Catalog) -> None:
    """Random changes (shared skills included), with some roadmaps counted before them, some after."""
    rng = random.Random(7)
    keys = sorted(bundled_catalog.known_keys())
    shared = [key for key in keys if key.startswith("skill:")]
    statuses = {key: rng.choice(STATUSES) for key in rng.sample(keys, 300)}
    progress = ProgressIndex(bundled_catalog, statuses)
    early = ["backend-server", "python", "golang"]
    for roadmap_id in early:
        for root in bundled_catalog.roadmaps[roadmap_id].roots:
            progress.counts(root)
    for _ in range(400):
        key = rng.choice(shared) if rng.random() < 0.5 else rng.choice(keys)
        status = rng.choice(STATUSES)
        touched = progress.update({key: status})
        statuses[key] = status
        assert {node.roadmap_id for node in touched} <= set(early)  # the others are not counted yet
    fresh = ProgressIndex(bundled_catalog, statuses)
    assert every_count(bundled_catalog, progress) == every_count(bundled_catalog, fresh)


def test_update_reports_the_shown_nodes_it_changed(bundled_catalog: Catalog) -> None:
    progress = ProgressIndex(bundled_catalog, {})
    roadmap = bundled_catalog.roadmaps["backend-server"]
    leaf = next(leaf for leaf in roadmap.leaves if leaf.skill)
    progress.counts(roadmap.sections[0])  # backend-server's counts are worked out
    touched = progress.update({leaf.key: "done"})
    assert set(leaf.path()) <= touched
    assert {node.roadmap_id for node in touched} == {"backend-server"}
    assert progress.update({leaf.key: "done"}) == set()  # no change, nothing to redraw
    for roadmap_id in bundled_catalog.roadmaps_with_key(leaf.key):
        assert progress.roadmap(roadmap_id).done >= 1


def test_a_skill_taught_twice_in_one_roadmap_counts_twice_there(tmp_path) -> None:
    (tmp_path / "skills.yaml").write_text("skills:\n  - {key: git, title: Git}\n", encoding="utf-8")
    (tmp_path / "twice.yaml").write_text(
        "id: twice\ntitle: Twice\nsections:\n"
        "  - id: a\n    title: A\n    children:\n"
        "      - {id: a-git, title: Git basics, skill: git}\n      - {id: a-other, title: Other}\n"
        "  - id: b\n    title: B\n    children:\n"
        "      - {id: b-git, title: Git again, skill: git}\n",
        encoding="utf-8",
    )
    (tmp_path / "once.yaml").write_text(
        "id: once\ntitle: Once\nsections:\n  - {id: git, title: Git, skill: git}\n", encoding="utf-8"
    )
    catalog = load_catalog([tmp_path])
    assert catalog.problems == []
    progress = ProgressIndex(catalog, {})
    progress.update({"skill:git": "done"})  # neither roadmap's nodes are counted yet
    assert progress.roadmap("twice").done == 2 and progress.roadmap("twice").total == 3
    assert progress.roadmap("once").done == 1
    assert progress.overall().done == 1 and progress.overall().total == 2
    twice = catalog.roadmaps["twice"]
    assert [progress.status(section) for section in twice.sections] == ["doing", "done"]
    progress.update({"skill:git": "todo"})  # now counted: the nodes follow too
    assert progress.roadmap("twice").done == 0
    assert [progress.status(section) for section in twice.sections] == ["todo", "todo"]


# -- one rule for percents and what they are of --------------------------------------------


def counts_of(done: int, doing: int, skipped: int, todo: int) -> Counts:
    return Counts(total=done + doing + skipped + todo, done=done, doing=doing, skipped=skipped)


@given(st.integers(0, 5000), st.integers(0, 50), st.integers(0, 50), st.integers(0, 5000), st.integers(0, 2))
def test_shown_percent_is_never_complete_early_nor_zero_late(done, doing, skipped, todo, decimals) -> None:
    counts = counts_of(done, doing, skipped, todo)
    value = shown_percent(counts, decimals)
    counted = counts.total - skipped
    if counted == 0:
        assert value is None
        return
    assert 0 <= value <= 100
    assert (value == 100) == (done == counted)
    assert (value == 0) == (done == 0)
    assert abs(value - 100 * done / counted) <= 10.0**-decimals


def test_percent_and_counts_say_the_same_thing_everywhere() -> None:
    assert percent_text(counts_of(223, 0, 0, 1)) == "99.6%"
    assert percent_text(counts_of(223, 0, 0, 1), 0) == "99%"
    assert percent_text(counts_of(1, 0, 0, 999), 0) == "1%"
    assert percent_text(counts_of(0, 0, 3, 0)) == "skipped"
    assert percent_text(Counts()) == "–"
    assert counts_text(counts_of(2, 0, 1, 3)) == "2 of 5 done, 1 skipped (not counted)"
    assert percent_text(counts_of(2, 0, 1, 3), 0) == "40%"
    assert counts_text(counts_of(0, 0, 4, 0)) == "all 4 skipped"
    assert counts_text(counts_of(1, 2, 0, 1)) == "1 of 4 done, 2 in progress"
