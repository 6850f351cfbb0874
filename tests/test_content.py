"""The bundled content: every roadmap of the seed, big enough, and the whole seed in the master.

The seed's lists are copied here by hand (from ``shared/seed.md``) so that a change
to the YAML that drops a competency, project, month, key skill or career fails.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from tracker.catalog import Catalog, Node, RoadmapIndex
from tracker.locations import bundled_roadmaps_dir

MASTER = "backend-server"

COVERED = {
    "backend-developer": "Backend Developer",
    "backend-beginner": "Backend Beginner",
    "nodejs": "Node.js",
    "python": "Python",
    "java": "Java",
    "golang": "Go",
    "php": "PHP",
    "aspnet-core": "ASP.NET Core",
    "spring-boot": "Spring Boot",
    "laravel": "Laravel",
    "graphql": "GraphQL",
    "api-design": "API Design",
    "kotlin": "Kotlin",
    "cpp": "C++",
    "rust": "Rust",
    "postgresql-dba": "PostgreSQL DBA",
    "sql": "SQL",
    "system-design": "System Design",
    "docker": "Docker",
    "kubernetes": "Kubernetes",
    "redis": "Redis",
    "mongodb": "MongoDB",
}

NEW_ROADMAPS = ("sql", "system-design", "docker", "kubernetes", "redis", "mongodb")
"""The roadmaps a backend learner also walks, beyond the seed's sixteen."""

MINIMUM_LEAVES = (
    {roadmap_id: 60 for roadmap_id in COVERED}
    | {roadmap_id: 90 for roadmap_id in NEW_ROADMAPS}
    | {"backend-developer": 130, "backend-beginner": 25}
)

TIERS = {
    "Fundamentals": [
        "HTTP protocol and web basics",
        "Server architecture and request-response cycle",
        "Database fundamentals (SQL, ACID)",
        "Environment variables and configuration",
        "Command-line tools and scripting",
        "Version control workflows",
    ],
    "Framework Mastery": [
        "Express.js and Node.js ecosystem",
        "Django/Flask/FastAPI Python frameworks",
        "Spring Boot and Spring ecosystem",
        "ASP.NET Core and C# fundamentals",
        "Routing, middleware, and request handling",
        "Template engines and server-side rendering",
    ],
    "Backend Architecture": [
        "RESTful API design principles",
        "GraphQL schema design and resolvers",
        "Microservices architecture",
        "Message brokers (RabbitMQ, Kafka, Redis)",
        "Caching strategies (Redis, Memcached)",
        "Database optimization and indexing",
        "Connection pooling and resource management",
    ],
    "Production Systems": [
        "Authentication (JWT, OAuth2, SSO)",
        "Authorization and role-based access control",
        "API rate limiting and throttling",
        "Error handling and logging",
        "Security best practices (SQL injection, CSRF)",
        "Performance monitoring and observability",
        "Horizontal scaling and load balancing",
        "Disaster recovery and backup strategies",
    ],
}

MONTHS = [
    "Language fundamentals + HTTP basics",
    "Database design and SQL mastery",
    "Web framework deep dive",
    "RESTful API design and implementation",
    "Authentication, authorization, security",
    "Database optimization and caching",
    "Asynchronous programming and queues",
    "Microservices and distributed systems",
    "Monitoring, logging, and observability",
    "Advanced patterns and system design",
]

PROJECTS = {
    "beginner": [
        "Simple blog API (CRUD operations)",
        "Todo application backend",
        "Weather API wrapper",
        "User authentication system",
    ],
    "intermediate": [
        "E-commerce API with payment processing",
        "Real-time notification system",
        "Multi-user content management system",
        "Analytics dashboard backend",
    ],
    "advanced": [
        "Scalable microservices platform",
        "Real-time collaboration tool backend",
        "Machine learning model serving API",
        "Event-driven order processing system",
    ],
}

KEY_SKILLS = [
    "Database design (normalization, relationships)",
    "API design patterns (REST, GraphQL, gRPC)",
    "Asynchronous programming (async/await, callbacks)",
    "Error handling and validation",
    "Security hardening",
    "Performance profiling and optimization",
    "Deployment and DevOps basics",
    "System design interviews",
    "Event-driven architecture",
    "Testing (unit, integration, E2E)",
]

CAREERS = [
    "Junior Backend Engineer",
    "Backend Engineer",
    "Senior Backend Engineer",
    "Tech Lead (Backend)",
    "Architect",
    "Full-Stack Engineer",
    "SRE/DevOps Engineer",
]

SHARED_TOPICS = ["git", "http", "sql", "docker", "rest", "unit-testing"]
"""Shared skill keys the issue names (Git, HTTP, SQL, Docker, REST, testing)."""


def norm(title: str) -> str:
    """Titles compared loosely: case, '&' or '+' for 'and', spacing and trailing punctuation."""
    title = title.casefold().replace("&", " and ").replace("+", " and ")
    return re.sub(r"\s+", " ", title).strip(" .:")


def titles(nodes) -> list[str]:
    return [norm(node.title) for node in nodes]


@pytest.fixture(scope="module")
def master(bundled_catalog: Catalog) -> RoadmapIndex:
    return bundled_catalog.roadmap(MASTER)


def test_bundled_roadmaps_load_without_problems(bundled_catalog: Catalog) -> None:
    assert [str(problem) for problem in bundled_catalog.problems] == []
    assert bundled_catalog.overridden == []


def test_twenty_three_roadmaps(bundled_catalog: Catalog) -> None:
    assert sorted(bundled_catalog.roadmaps) == sorted([MASTER, *COVERED])
    files = [p for p in bundled_roadmaps_dir().iterdir() if p.suffix in (".yaml", ".yml")]
    assert len(files) == 24  # 23 roadmaps and skills.yaml


@pytest.mark.parametrize("roadmap_id", sorted(COVERED))
def test_covered_roadmap_is_big_enough(bundled_catalog: Catalog, roadmap_id: str) -> None:
    assert roadmap_id in bundled_catalog.roadmaps, f"no roadmap '{roadmap_id}'"
    roadmap = bundled_catalog.roadmaps[roadmap_id]
    leaves = len(roadmap.leaves)
    assert leaves >= MINIMUM_LEAVES[roadmap_id], f"{roadmap_id}: {leaves} leaves"
    assert norm(COVERED[roadmap_id]) in norm(roadmap.title)
    assert roadmap.path.name == f"{roadmap_id}.yaml"


@pytest.mark.parametrize("roadmap_id", sorted(COVERED))
def test_covered_roadmap_has_structure_and_documentation(bundled_catalog: Catalog, roadmap_id: str) -> None:
    """Sections, topics and subtopics, with links to read."""
    if roadmap_id not in bundled_catalog.roadmaps:
        pytest.fail(f"no roadmap '{roadmap_id}'")
    roadmap = bundled_catalog.roadmaps[roadmap_id]
    assert len(roadmap.sections) >= 3
    depth = max(len(leaf.path()) for leaf in roadmap.leaves)
    assert depth >= 2
    linked = [node for node in roadmap.nodes.values() if node.resources]
    assert len(linked) >= len(roadmap.sections)
    assert all(section.description for section in roadmap.sections)


def test_no_placeholders_and_no_copied_links(bundled_catalog: Catalog) -> None:
    placeholder = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b|(?i:lorem ipsum)|\.\.\.$")
    bad = []
    for roadmap in bundled_catalog.roadmaps.values():
        for node in roadmap.nodes.values():
            for text in (node.title, node.description or ""):
                if placeholder.search(text):
                    bad.append(f"{roadmap.id}/{node.id}: {text[:60]}")
            for link in node.resources:
                if "roadmap.sh" in link.url or "example.com" in link.url:
                    bad.append(f"{roadmap.id}/{node.id}: {link.url}")
    assert bad == []


def test_issue_named_topics_share_one_key(bundled_catalog: Catalog) -> None:
    users: dict[str, set[str]] = defaultdict(set)
    for roadmap in bundled_catalog.roadmaps.values():
        for leaf in roadmap.leaves:
            if leaf.skill:
                users[leaf.skill].add(roadmap.id)
    for key in SHARED_TOPICS:
        assert key in bundled_catalog.skills, key
        assert len(users[key]) >= 2, f"shared skill '{key}' is used by {sorted(users[key])}"


# -- the master roadmap holds the whole seed -----------------------------------------------


def competencies(master: RoadmapIndex) -> list[Node]:
    return [child for tier in master.sections for child in tier.children]


def test_four_tiers_in_order(master: RoadmapIndex) -> None:
    assert len(master.sections) == 4
    for number, (section, name) in enumerate(zip(master.sections, TIERS, strict=True), start=1):
        assert norm(name) in norm(section.title), section.title
        assert str(number) in section.title


@pytest.mark.parametrize("tier", list(TIERS))
def test_every_competency_of_the_tier(master: RoadmapIndex, tier: str) -> None:
    section = next(s for s in master.sections if norm(tier) in norm(s.title))
    assert titles(section.children) == [norm(title) for title in TIERS[tier]]


def test_every_competency_is_described_with_sub_skills_and_docs(master: RoadmapIndex) -> None:
    found = competencies(master)
    assert len(found) == sum(len(names) for names in TIERS.values())
    for competency in found:
        assert competency.description, competency.id
        assert 2 <= len(competency.children) <= 5, (competency.id, len(competency.children))
        assert len(competency.resources) >= 1, competency.id
        assert all(link.url.startswith("https://") for link in competency.resources)


def test_all_twelve_projects(master: RoadmapIndex) -> None:
    assert len(master.projects) == 12
    for level, names in PROJECTS.items():
        projects = [p for p in master.projects if p.level == level]
        assert sorted(titles(projects)) == sorted(norm(name) for name in names), level
    for project in master.projects:
        assert project.description, f"{project.id} has no brief"
        assert 3 <= len(project.children) <= 6, (project.id, len(project.children))
        assert all(m.kind == "milestone" for m in project.children)
        assert len(project.exercises) >= 1, f"{project.id} exercises no skill"
        assert all(skill in master.nodes for skill in project.exercises)


def test_ten_months_in_order(master: RoadmapIndex) -> None:
    assert [month.number for month in master.plan] == list(range(1, 11))
    for month, seed in zip(master.plan, MONTHS, strict=True):
        assert norm(month.title) == norm(seed), (month.number, month.title)
        assert month.nodes, f"month {month.number} covers nothing"


def test_every_tier_appears_in_the_plan(master: RoadmapIndex) -> None:
    """The plan reaches every tier (a month may name a tier, a competency or a sub-skill)."""
    reached = {node.path()[0].id for month in master.plan for node in month.nodes}
    assert {section.id for section in master.sections} <= reached


def test_ten_key_skills(master: RoadmapIndex) -> None:
    assert titles(master.key_skills) == [norm(name) for name in KEY_SKILLS]
    assert all(skill.nodes for skill in master.key_skills)


def test_seven_career_paths(master: RoadmapIndex) -> None:
    assert titles(master.careers) == [norm(name) for name in CAREERS]
    for career in master.careers:
        assert career.nodes, f"{career.id} requires nothing"


def test_master_covers_all_twenty_two(master: RoadmapIndex) -> None:
    assert sorted(master.covers) == sorted(COVERED)
    assert len(master.covers) == 22
