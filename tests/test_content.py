"""The bundled content: every roadmap of the seed, big enough, and the whole seed in the master.

The seed's lists are copied here by hand (from ``shared/seed.md``) so that a change
to the YAML that drops a competency, project, month, key skill or career fails.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tracker.catalog import Catalog, Node, RoadmapIndex
from tracker.locations import bundled_roadmaps_dir
from tracker.model import SkillRegistry

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

SHARED_TOPICS = ["git", "http-semantics", "sql", "docker", "rest-principles", "unit-testing-basics"]
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


# -- shared skills mean one thing ----------------------------------------------------------

STACK_ROADMAPS = {
    roadmap_id: roadmap_id
    for roadmap_id in (
        "nodejs",
        "python",
        "java",
        "golang",
        "php",
        "aspnet-core",
        "spring-boot",
        "laravel",
        "kotlin",
        "cpp",
        "rust",
    )
}
"""Roadmaps of one language or framework: every item in them is that stack's own way."""

STACK_SECTIONS = {
    "backend-server": {
        "nodejs-express": "nodejs",
        "python-frameworks": "python",
        "spring-ecosystem": "spring-boot",
        "aspnet-core-csharp": "aspnet-core",
    },
    "backend-developer": {
        "be-lang-go": "golang",
        "be-lang-python": "python",
        "be-lang-java": "java",
        "be-lang-javascript": "nodejs",
        "be-lang-csharp": "aspnet-core",
        "be-lang-php": "php",
        "be-lang-rust": "rust",
        "be-lang-ruby": "ruby",
        "be-lang-kotlin": "kotlin",
    },
    "graphql": {
        "gql-graphql-js": "nodejs",
        "gql-apollo-server": "nodejs",
        "gql-yoga": "nodejs",
        "gql-java-servers": "java",
        "gql-python-servers": "python",
        "gql-gqlgen": "golang",
        "gql-hot-chocolate": "aspnet-core",
        "gql-graphql-ruby": "ruby",
    },
}
"""Sections (or items) of general roadmaps that teach one language's or framework's own way."""


def stack_of(node: Node) -> str | None:
    """The language or framework whose own section ``node`` sits in, if any."""
    if node.roadmap_id in STACK_ROADMAPS:
        return STACK_ROADMAPS[node.roadmap_id]
    sections = STACK_SECTIONS.get(node.roadmap_id, {})
    return next((sections[n.id] for n in reversed(node.path()) if n.id in sections), None)


@pytest.fixture(scope="module")
def registry() -> SkillRegistry:
    text = (bundled_roadmaps_dir() / "skills.yaml").read_text(encoding="utf-8")
    return SkillRegistry.model_validate(yaml.safe_load(text))


def skill_users(catalog: Catalog) -> dict[str, list[Node]]:
    users: dict[str, list[Node]] = defaultdict(list)
    for roadmap in catalog.roadmaps.values():
        for leaf in roadmap.leaves:
            if leaf.skill:
                users[leaf.skill].append(leaf)
    return users


def test_stack_sections_name_real_items(bundled_catalog: Catalog) -> None:
    for roadmap_id, sections in STACK_SECTIONS.items():
        assert set(sections) <= set(bundled_catalog.roadmap(roadmap_id).nodes), roadmap_id


def test_no_shared_key_joins_two_stacks_unless_marked(
    bundled_catalog: Catalog, registry: SkillRegistry
) -> None:
    """A framework's own way is not another's: FastAPI's dependencies are not Spring's container."""
    cross = {skill.key for skill in registry.skills if skill.cross_language}
    mixed = {}
    for key, users in skill_users(bundled_catalog).items():
        stacks = {stack for stack in map(stack_of, users) if stack}
        if len(stacks) > 1 and key not in cross:
            mixed[key] = sorted(f"{n.roadmap_id}/{n.id}" for n in users if stack_of(n))
    assert mixed == {}


def test_a_cross_language_mark_is_needed(bundled_catalog: Catalog, registry: SkillRegistry) -> None:
    """Marked keys really are taught in several stacks (otherwise the mark hides nothing)."""
    users = skill_users(bundled_catalog)
    for skill in registry.skills:
        if skill.cross_language:
            stacks = {stack for stack in map(stack_of, users[skill.key]) if stack}
            assert len(stacks) >= 2, (skill.key, stacks)


def test_every_shared_key_is_used(bundled_catalog: Catalog) -> None:
    assert set(bundled_catalog.skills) - set(skill_users(bundled_catalog)) == set()


def test_moves_start_from_retired_keys_and_end_at_live_ones(bundled_catalog: Catalog) -> None:
    """A retired key is never used again (that keeps moving idempotent); every new key exists."""
    live = bundled_catalog.known_keys()
    sources = [move.source for move in bundled_catalog.key_moves]
    assert len(sources) == len(set(sources)), "a key is retired twice"
    assert [key for key in sources if key in live] == []
    assert {key.removeprefix("skill:") for key in sources} & set(bundled_catalog.skills) == set()
    retired = set(sources)
    for move in bundled_catalog.key_moves:
        assert move.targets, move
        assert [t for t in move.targets if t not in live and t not in retired] == [], move


def resolve(key: str, moves: dict[str, tuple[str, ...]]) -> set[str]:
    """Where progress stored under ``key`` ends up after every move."""
    if key not in moves:
        return {key}
    return {end for target in moves[key] for end in resolve(target, moves)}


def test_every_shipped_key_still_leads_somewhere(bundled_catalog: Catalog) -> None:
    """Progress stored under any key a release used is shown again: the key is live or moved.

    ``shipped_keys.txt`` lists the progress keys of every released version (add
    the new ones when releasing); a key that disappears from the roadmaps needs a
    ``moved:`` entry in skills.yaml.
    """
    shipped = (Path(__file__).parent / "shipped_keys.txt").read_text(encoding="utf-8").split()
    live = bundled_catalog.known_keys()
    moves = {move.source: move.targets for move in bundled_catalog.key_moves}
    lost = {key: sorted(resolve(key, moves) - live) for key in shipped}
    assert {key: ends for key, ends in lost.items() if ends} == {}


# -- links and titles -----------------------------------------------------------------------

HOSTS: dict[str, set[str]] = {
    "api-design": {
        "cheatsheetseries.owasp.org",
        "cloud.google.com",
        "cloudevents.io",
        "curl.se",
        "datatracker.ietf.org",
        "developer.mozilla.org",
        "docs.aws.amazon.com",
        "docs.github.com",
        "docs.pact.io",
        "docs.stripe.com",
        "eur-lex.europa.eu",
        "github.com",
        "google.aip.dev",
        "grafana.com",
        "graphql.org",
        "grpc-ecosystem.github.io",
        "grpc.io",
        "ics.uci.edu",
        "json-schema.org",
        "jsonapi.org",
        "keepachangelog.com",
        "learn.microsoft.com",
        "learn.openapis.org",
        "learning.postman.com",
        "martinfowler.com",
        "oauth.net",
        "openapi-generator.tech",
        "openid.net",
        "opensource.zalando.com",
        "opentelemetry.io",
        "owasp.org",
        "playwright.dev",
        "protobuf.dev",
        "schemathesis.readthedocs.io",
        "semver.org",
        "spec.openapis.org",
        "sre.google",
        "www.asyncapi.com",
        "www.envoyproxy.io",
        "www.hhs.gov",
        "www.pcisecuritystandards.org",
        "www.standardwebhooks.com",
    },
    "aspnet-core": {
        "docs.fluentvalidation.net",
        "docs.hangfire.io",
        "dotnet.testcontainers.org",
        "github.com",
        "learn.microsoft.com",
        "mapperly.riok.app",
        "nsubstitute.github.io",
        "owasp.org",
        "www.quartz-scheduler.net",
        "www.rabbitmq.com",
        "xunit.net",
    },
    "backend-beginner": {
        "12factor.net",
        "alembic.sqlalchemy.org",
        "cheatsheetseries.owasp.org",
        "curl.se",
        "datatracker.ietf.org",
        "dev.java",
        "developer.mozilla.org",
        "docs.djangoproject.com",
        "docs.docker.com",
        "docs.github.com",
        "docs.npmjs.com",
        "docs.pytest.org",
        "docs.python.org",
        "expressjs.com",
        "fastapi.tiangolo.com",
        "flask.palletsprojects.com",
        "git-scm.com",
        "go.dev",
        "learn.microsoft.com",
        "learn.openapis.org",
        "letsencrypt.org",
        "nginx.org",
        "nodejs.org",
        "ubuntu.com",
        "www.postgresql.org",
        "www.sqlite.org",
    },
    "backend-developer": {
        "12factor.net",
        "alembic.sqlalchemy.org",
        "alistair.cockburn.us",
        "blog.cleancoder.com",
        "caddyserver.com",
        "cassandra.apache.org",
        "cheatsheetseries.owasp.org",
        "cloud.google.com",
        "coverage.readthedocs.io",
        "csrc.nist.gov",
        "datatracker.ietf.org",
        "dev.java",
        "dev.mysql.com",
        "developer.hashicorp.com",
        "developer.mozilla.org",
        "doc.rust-lang.org",
        "docs.aws.amazon.com",
        "docs.couchdb.org",
        "docs.djangoproject.com",
        "docs.docker.com",
        "docs.github.com",
        "docs.gitlab.com",
        "docs.gunicorn.org",
        "docs.haproxy.org",
        "docs.influxdata.com",
        "docs.npmjs.com",
        "docs.oasis-open.org",
        "docs.oracle.com",
        "docs.pact.io",
        "docs.podman.io",
        "docs.pytest.org",
        "docs.python.org",
        "docs.sqlalchemy.org",
        "docs.timescale.com",
        "expressjs.com",
        "firebase.google.com",
        "git-scm.com",
        "github.com",
        "go.dev",
        "grafana.com",
        "graphql.org",
        "grpc.io",
        "guides.rubyonrails.org",
        "hibernate.org",
        "httpd.apache.org",
        "ics.uci.edu",
        "istio.io",
        "jmeter.apache.org",
        "jsonapi.org",
        "junit.org",
        "jwt.io",
        "kafka.apache.org",
        "kotlinlang.org",
        "kubernetes.io",
        "laravel.com",
        "learn.microsoft.com",
        "learn.openapis.org",
        "letsencrypt.org",
        "linkerd.io",
        "linuxcontainers.org",
        "lucene.apache.org",
        "man7.org",
        "martinfowler.com",
        "memcached.org",
        "microservices.io",
        "neo4j.com",
        "nginx.org",
        "nodejs.org",
        "oauth.net",
        "openid.net",
        "opensearch.org",
        "opentelemetry.io",
        "owasp.org",
        "playwright.dev",
        "prometheus.io",
        "protobuf.dev",
        "redis.io",
        "refactoring.com",
        "refactoring.guru",
        "relay.dev",
        "semver.org",
        "solr.apache.org",
        "spec.graphql.org",
        "spec.openapis.org",
        "spring.io",
        "sre.google",
        "support.atlassian.com",
        "testcontainers.com",
        "tinkerpop.apache.org",
        "tomcat.apache.org",
        "typesense.org",
        "use-the-index-luke.com",
        "wiki.python.org",
        "www.apollographql.com",
        "www.domainlanguage.com",
        "www.elastic.co",
        "www.gnu.org",
        "www.infoq.com",
        "www.jenkins.io",
        "www.linux-kvm.org",
        "www.meilisearch.com",
        "www.mongodb.com",
        "www.openssh.com",
        "www.pgbouncer.org",
        "www.php.net",
        "www.postgresql.org",
        "www.rabbitmq.com",
        "www.ruby-lang.org",
        "www.sqlite.org",
        "www.standardwebhooks.com",
        "www.typescriptlang.org",
        "www.w3.org",
    },
    "backend-server": {
        "12factor.net",
        "actix.rs",
        "docs.nestjs.com",
        "docs.rs",
        "gin-gonic.com",
        "ktor.io",
        "laravel.com",
        "aws.amazon.com",
        "cheatsheetseries.owasp.org",
        "cloudevents.io",
        "csrc.nist.gov",
        "curl.se",
        "datatracker.ietf.org",
        "dev.mysql.com",
        "developer.mozilla.org",
        "docs.aws.amazon.com",
        "docs.bullmq.io",
        "docs.celeryq.dev",
        "docs.djangoproject.com",
        "docs.docker.com",
        "docs.github.com",
        "docs.haproxy.org",
        "docs.memcached.org",
        "docs.npmjs.com",
        "docs.oracle.com",
        "docs.pydantic.dev",
        "docs.pytest.org",
        "docs.python.org",
        "docs.sentry.io",
        "docs.spring.io",
        "docs.sqlalchemy.org",
        "docs.stripe.com",
        "docs.yjs.dev",
        "expressjs.com",
        "fastapi.tiangolo.com",
        "flask.palletsprojects.com",
        "git-scm.com",
        "github.com",
        "go.dev",
        "graphql.org",
        "grpc.io",
        "htmx.org",
        "jepsen.io",
        "jestjs.io",
        "jinja.palletsprojects.com",
        "jqlang.github.io",
        "json-schema.org",
        "kafka.apache.org",
        "kubernetes.io",
        "learn.microsoft.com",
        "memcached.org",
        "nginx.org",
        "nodejs.org",
        "oauth.net",
        "onnxruntime.ai",
        "open-meteo.com",
        "openid.net",
        "opentelemetry.io",
        "openweathermap.org",
        "owasp.org",
        "peps.python.org",
        "pkg.go.dev",
        "prometheus.io",
        "protobuf.dev",
        "redis.io",
        "semver.org",
        "spec.graphql.org",
        "spec.openapis.org",
        "spring.io",
        "sre.google",
        "start.spring.io",
        "ubuntu.com",
        "www.django-rest-framework.org",
        "www.freedesktop.org",
        "www.gnu.org",
        "www.jaegertracing.io",
        "www.mongodb.com",
        "www.openapis.org",
        "www.openpolicyagent.org",
        "www.openssh.com",
        "www.pgbouncer.org",
        "www.postgresql.org",
        "www.rabbitmq.com",
        "www.thymeleaf.org",
        "www.typescriptlang.org",
        "www.w3.org",
    },
    "cpp": {
        "clang.llvm.org",
        "cmake.org",
        "crowcpp.org",
        "curl.se",
        "docs.conan.io",
        "docs.docker.com",
        "docs.openssl.org",
        "en.cppreference.com",
        "fmt.dev",
        "gcc.gnu.org",
        "github.com",
        "google.github.io",
        "grpc.io",
        "isocpp.github.io",
        "isocpp.org",
        "json.nlohmann.me",
        "learn.microsoft.com",
        "lldb.llvm.org",
        "llvm.org",
        "man7.org",
        "ninja-build.org",
        "perf.wiki.kernel.org",
        "protobuf.dev",
        "sourceware.org",
        "think-async.com",
        "valgrind.org",
        "www.boost.org",
        "www.gnu.org",
    },
    "docker": {
        "docs.docker.com",
    },
    "golang": {
        "docs.docker.com",
        "docs.gofiber.io",
        "docs.sqlc.dev",
        "echo.labstack.com",
        "github.com",
        "go-chi.io",
        "go.dev",
        "gorm.io",
        "grpc.io",
        "opentelemetry.io",
        "pkg.go.dev",
        "staticcheck.dev",
    },
    "graphql": {
        "cheatsheetseries.owasp.org",
        "chillicream.com",
        "docs.graphene-python.org",
        "docs.spring.io",
        "github.com",
        "gqlgen.com",
        "graphql-ruby.org",
        "graphql.github.io",
        "graphql.org",
        "hasura.io",
        "netflix.github.io",
        "postgraphile.org",
        "relay.dev",
        "spec.graphql.org",
        "strawberry.rocks",
        "the-guild.dev",
        "www.apollographql.com",
        "www.graphql-java.com",
    },
    "java": {
        "assertj.github.io",
        "beanvalidation.org",
        "checkstyle.org",
        "dev.java",
        "docs.docker.com",
        "docs.gradle.org",
        "docs.liquibase.com",
        "docs.micrometer.io",
        "docs.micronaut.io",
        "docs.oracle.com",
        "documentation.red-gate.com",
        "errorprone.info",
        "github.com",
        "grpc.io",
        "hibernate.org",
        "jakarta.ee",
        "java.testcontainers.org",
        "junit.org",
        "kafka.apache.org",
        "logback.qos.ch",
        "logging.apache.org",
        "maven.apache.org",
        "openjdk.org",
        "opentelemetry.io",
        "projectreactor.io",
        "quarkus.io",
        "site.mockito.org",
        "spotbugs.github.io",
        "spring.io",
        "www.graalvm.org",
        "www.jacoco.org",
        "www.jooq.org",
        "www.slf4j.org",
    },
    "kotlin": {
        "arrow-kt.io",
        "detekt.dev",
        "developer.android.com",
        "docs.gradle.org",
        "docs.spring.io",
        "github.com",
        "insert-koin.io",
        "kotest.io",
        "kotlinlang.org",
        "ktor.io",
        "mockk.io",
        "pinterest.github.io",
        "play.kotlinlang.org",
        "spring.io",
        "www.jetbrains.com",
    },
    "kubernetes": {
        "gateway-api.sigs.k8s.io",
        "helm.sh",
        "kind.sigs.k8s.io",
        "kubectl.docs.kubernetes.io",
        "kubernetes.io",
        "minikube.sigs.k8s.io",
    },
    "laravel": {
        "api.laravel.com",
        "bootcamp.laravel.com",
        "cloud.laravel.com",
        "docs.vapor.build",
        "filamentphp.com",
        "forge.laravel.com",
        "github.com",
        "herd.laravel.com",
        "inertiajs.com",
        "laravel.com",
        "livewire.laravel.com",
        "pestphp.com",
        "spatie.be",
    },
    "mongodb": {
        "www.mongodb.com",
    },
    "nodejs": {
        "ajv.js.org",
        "cheatsheetseries.owasp.org",
        "datatracker.ietf.org",
        "developer.mozilla.org",
        "docs.bullmq.io",
        "docs.docker.com",
        "docs.github.com",
        "docs.libuv.org",
        "docs.nestjs.com",
        "docs.npmjs.com",
        "expressjs.com",
        "fastify.dev",
        "getpino.io",
        "github.com",
        "graphql.org",
        "jestjs.io",
        "knexjs.org",
        "mongoosejs.com",
        "node-postgres.com",
        "nodejs.org",
        "opentelemetry.io",
        "pm2.keymetrics.io",
        "pnpm.io",
        "sequelize.org",
        "socket.io",
        "spec.openapis.org",
        "vitest.dev",
        "www.apollographql.com",
        "www.mongodb.com",
        "www.prisma.io",
        "www.typescriptlang.org",
        "yarnpkg.com",
        "zod.dev",
    },
    "php": {
        "cheatsheetseries.owasp.org",
        "cs.symfony.com",
        "docs.docker.com",
        "docs.guzzlephp.org",
        "docs.mockery.io",
        "docs.phpunit.de",
        "docs.roadrunner.dev",
        "frankenphp.dev",
        "getcomposer.org",
        "getrector.com",
        "github.com",
        "hub.docker.com",
        "laravel.com",
        "owasp.org",
        "packagist.org",
        "pestphp.com",
        "phpstan.org",
        "psalm.dev",
        "symfony.com",
        "twig.symfony.com",
        "www.doctrine-project.org",
        "www.php-fig.org",
        "www.php.net",
        "www.slimframework.com",
        "xdebug.org",
    },
    "postgresql-dba": {
        "cloudnative-pg.io",
        "docs.aws.amazon.com",
        "docs.citusdata.com",
        "github.com",
        "hub.docker.com",
        "patroni.readthedocs.io",
        "pg-auto-failover.readthedocs.io",
        "pgbackrest.org",
        "pgbadger.darold.net",
        "pgbarman.org",
        "postgis.net",
        "reorg.github.io",
        "wiki.postgresql.org",
        "www.pgadmin.org",
        "www.pgbouncer.org",
        "www.postgresql.org",
        "www.repmgr.org",
    },
    "python": {
        "alembic.sqlalchemy.org",
        "asgi.readthedocs.io",
        "black.readthedocs.io",
        "coverage.readthedocs.io",
        "devguide.python.org",
        "docs.aiohttp.org",
        "docs.astral.sh",
        "docs.celeryq.dev",
        "docs.djangoproject.com",
        "docs.gunicorn.org",
        "docs.pydantic.dev",
        "docs.pytest.org",
        "docs.python.org",
        "docs.sqlalchemy.org",
        "fastapi.tiangolo.com",
        "flask.palletsprojects.com",
        "hypothesis.readthedocs.io",
        "microsoft.github.io",
        "mypy.readthedocs.io",
        "nox.thea.codes",
        "numpy.org",
        "packaging.python.org",
        "peps.python.org",
        "pip.pypa.io",
        "pre-commit.com",
        "python-poetry.org",
        "redis.readthedocs.io",
        "requests.readthedocs.io",
        "tox.wiki",
        "twine.readthedocs.io",
        "www.django-rest-framework.org",
        "www.psycopg.org",
        "www.python-httpx.org",
        "www.sphinx-doc.org",
        "www.uvicorn.org",
    },
    "redis": {
        "redis.io",
    },
    "rust": {
        "actix.rs",
        "diesel.rs",
        "doc.rust-lang.org",
        "docs.docker.com",
        "docs.rs",
        "embarkstudios.github.io",
        "github.com",
        "rust-fuzz.github.io",
        "rust-lang.github.io",
        "rustsec.org",
        "serde.rs",
        "tokio.rs",
        "www.rust-lang.org",
    },
    "spring-boot": {
        "datatracker.ietf.org",
        "docs.micrometer.io",
        "docs.spring.io",
        "projectreactor.io",
        "resilience4j.readme.io",
        "spring.io",
        "springdoc.org",
        "start.spring.io",
        "www.thymeleaf.org",
    },
    "sql": {
        "dev.mysql.com",
        "learn.microsoft.com",
        "www.postgresql.org",
        "www.sqlite.org",
    },
    "system-design": {
        "aws.amazon.com",
        "cloud.google.com",
        "datatracker.ietf.org",
        "developer.mozilla.org",
        "docs.aws.amazon.com",
        "kafka.apache.org",
        "kubernetes.io",
        "learn.microsoft.com",
        "redis.io",
        "sre.google",
        "www.rfc-editor.org",
    },
}
"""Per roadmap, the hosts its documentation links may point at (official docs, specs, projects)."""


def every_link(roadmap: RoadmapIndex) -> list[tuple[str, str]]:
    links = [("(roadmap)", link.url) for link in roadmap.resources]
    links += [(node.id, link.url) for node in roadmap.nodes.values() for link in node.resources]
    return links


def test_host_allow_list_covers_every_roadmap(bundled_catalog: Catalog) -> None:
    assert set(HOSTS) == set(bundled_catalog.roadmaps)


@pytest.mark.parametrize("roadmap_id", sorted(COVERED) + [MASTER])
def test_links_point_at_allowed_hosts(bundled_catalog: Catalog, roadmap_id: str) -> None:
    roadmap = bundled_catalog.roadmap(roadmap_id)
    allowed = HOSTS.get(roadmap_id, set())
    stray = [(item, url) for item, url in every_link(roadmap) if urlsplit(url).hostname not in allowed]
    assert stray == []
    assert all(url.startswith("https://") for _, url in every_link(roadmap))


def test_no_duplicate_titles_inside_one_section(bundled_catalog: Catalog) -> None:
    duplicates = []
    for roadmap in bundled_catalog.roadmaps.values():
        groups = [("(top)", roadmap.sections)]
        groups += [(node.id, node.children) for node in roadmap.nodes.values() if node.children]
        for parent, children in groups:
            counts = Counter(norm(child.title) for child in children)
            duplicates += [f"{roadmap.id}/{parent}: {title}" for title, n in counts.items() if n > 1]
    assert duplicates == []


@pytest.mark.parametrize("roadmap_id", NEW_ROADMAPS)
def test_new_roadmap_is_reached_from_the_master(
    bundled_catalog: Catalog, master: RoadmapIndex, roadmap_id: str
) -> None:
    """Some master item shares a skill with it, so the detail pane's cross links lead there."""
    assert roadmap_id in master.covers
    shared = {leaf.skill for leaf in master.leaves if leaf.skill}
    theirs = {leaf.skill for leaf in bundled_catalog.roadmap(roadmap_id).leaves if leaf.skill}
    assert shared & theirs, f"no master item shares a skill key with {roadmap_id}"


GENERAL = {
    MASTER: "Backend & Server Development",
    "backend-developer": "Backend Developer",
    "backend-beginner": "Backend Beginner",
}
"""The three general roadmaps: each says whom it is for and how it relates to the other two."""


@pytest.mark.parametrize("roadmap_id", sorted(GENERAL))
def test_general_roadmaps_say_whom_they_are_for_and_how_they_relate(
    bundled_catalog: Catalog, roadmap_id: str
) -> None:
    description = bundled_catalog.roadmap(roadmap_id).description or ""
    assert description.startswith("For "), description[:40]
    others = [title for other, title in GENERAL.items() if other != roadmap_id]
    assert all(title in description for title in others), (roadmap_id, others)
