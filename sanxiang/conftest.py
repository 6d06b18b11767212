"""Shared fixtures: a small province and named personas (officer, reviewer, counsel, head, clerk, the three
administrators — system, security, audit —, outsider)."""

import os
import shutil
import uuid
from contextlib import contextmanager
from types import SimpleNamespace
from urllib.parse import urlsplit

import psycopg
import pytest
from django.db import connection

from sanxiang.agencies.models import ReviewPost, Role
from sanxiang.testing.factories import make_agency, make_certificate, make_staff
from sanxiang.testing.processes import run

# A test without one of these (or the django_db mark) never opens a database: it runs the same code on either engine.
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL (`make test-postgres`), the tests that use no database and the browser tests are deselected, and
    say so: the SQLite run (`make test`) has run them; the first would run the same code again, and what a browser
    shows and does is the same over either engine (the pages' server side runs on PostgreSQL in the HTTP tests). On
    the S3 store (`make test-s3`) the tests about the file store's folder are."""
    if _on_s3():
        _deselect(config, items, lambda item: item.get_closest_marker("file_store"))
    if connection.vendor == "postgresql":
        _deselect(
            config,
            items,
            lambda item: (
                item.get_closest_marker("browser")
                or not (
                    DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("django_db")
                )
            ),
        )


def _deselect(config, items, leave) -> None:
    left = [item for item in items if leave(item)]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = [item for item in items if not leave(item)]


def pytest_terminal_summary(terminalreporter):
    """Said at the end of the PostgreSQL run, where the workers' deselection would go unseen."""
    if connection.vendor == "postgresql":
        terminalreporter.write_line(
            f"PostgreSQL: the tests that open no database (any of {sorted(DATABASE_FIXTURES)} or the django_db mark) "
            "and the browser tests were deselected here; make test runs them on SQLite."
        )


def _on_s3() -> bool:
    from django.conf import settings

    return settings.BLOB_URL.startswith("s3://")


@pytest.fixture(scope="session", autouse=True)
def _s3_bucket():
    """On the S3 store, its bucket exists (the server is new in CI)."""
    if _on_s3():
        from sanxiang.core.blobs import blob_store
        from sanxiang.testing.blobs import bucket_ensure

        bucket_ensure(blob_store())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    from sanxiang.audit import triggers as audit_triggers
    from sanxiang.testing.ledger import relax_triggers

    with django_db_blocker.unblock():
        relax_triggers(connection)
        audit_triggers.remove(connection)  # emptied between tests like the ledger; put back where tested


@pytest.fixture
def client():
    """Django's test client whose `force_login` also passes the second factor (sanxiang.testing.otp)."""
    from sanxiang.testing.otp import VerifiedClient

    return VerifiedClient()


@pytest.fixture(autouse=True)
def _fresh_rates():
    """Request rates are counted in the default cache (in-process here): every test starts with none spent."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """黑龙江 → 哈尔滨 (with the 道里 branch) and 齐齐哈尔, with one persona per role in 哈尔滨 (built through the
    services once per test process, replayed after: sanxiang.testing.replay)."""
    from sanxiang.testing.replay import replayed

    return replayed("world", _build_world)


def _build_world():
    province = make_agency(code="230000", name="黑龙江省生态环境厅", abbreviation="黑环")
    harbin = make_agency(parent=province, code="230100", name="哈尔滨市生态环境局", abbreviation="哈环")
    daoli = make_agency(parent=harbin, code="230102", name="哈尔滨市生态环境局道里分局", abbreviation="哈环道")
    qiqihar = make_agency(parent=province, code="230200", name="齐齐哈尔市生态环境局", abbreviation="齐环")
    people = SimpleNamespace(
        officer=make_staff(agency=harbin, roles=[Role.OFFICER], username="officer", full_name="李明"),
        partner=make_staff(agency=harbin, roles=[Role.OFFICER], username="partner", full_name="张丽华"),
        reviewer=make_staff(agency=harbin, roles=[Role.REVIEWER], username="reviewer", has_legal_qualification=True),
        counsel=make_staff(
            agency=harbin,
            roles=[Role.REVIEWER],
            username="counsel",
            full_name="周雅琴",
            has_legal_qualification=True,
            review_post=ReviewPost.PUBLIC_LAWYER,
        ),
        head=make_staff(agency=harbin, roles=[Role.HEAD], username="head"),
        clerk=make_staff(agency=harbin, roles=[Role.PUBLICITY_CLERK], username="clerk"),
        admin=make_staff(agency=harbin, roles=[Role.ADMIN], username="admin"),
        security=make_staff(agency=harbin, roles=[Role.SECURITY_ADMIN], username="security", full_name="安全员"),
        auditor=make_staff(agency=harbin, roles=[Role.AUDIT_ADMIN], username="auditor", full_name="审计员"),
        county_officer=make_staff(agency=daoli, roles=[Role.OFFICER], username="county"),
        outsider=make_staff(agency=qiqihar, roles=[Role.OFFICER], username="outsider"),
        province_admin=make_staff(agency=province, roles=[Role.ADMIN], username="provadmin"),
        province_security=make_staff(agency=province, roles=[Role.SECURITY_ADMIN], username="provsecurity"),
        province_auditor=make_staff(agency=province, roles=[Role.AUDIT_ADMIN], username="provauditor"),
    )
    certificates = SimpleNamespace(
        officer=make_certificate(holder=people.officer),
        partner=make_certificate(holder=people.partner),
        county=make_certificate(holder=people.county_officer),
        outsider=make_certificate(holder=people.outsider),
    )
    return SimpleNamespace(
        province=province, harbin=harbin, daoli=daoli, qiqihar=qiqihar, people=people, certificates=certificates
    )


@pytest.fixture
def live_data(transactional_db):
    """A committed database for live-server tests. The flush that ends each such test also empties the rows the
    migrations created (calendar, ledger head), so they are put back first. pytest-django runs these tests last."""
    from sanxiang.testing.seed import restore_migration_data

    restore_migration_data()


@pytest.fixture
def browser():
    """Debian's Chromium through Playwright; with CI=true a missing browser fails instead of skipping."""
    from sanxiang.testing.chromium import CHROMIUM as executable

    if not os.path.exists(executable):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        from sanxiang.testing.chromium import CHROMIUM_FLAGS

        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()
        # Playwright's sync API runs in its own greenlet context; database connections opened while it was active
        # belong to that context and must be closed here, or PostgreSQL refuses to drop the test database.
        from django.db import connections

        connections.close_all()


@pytest.fixture
def new_installation(tmp_path, db):
    """An installation `sanxiang migrate` has just created in its own folder, with a database of the suite's engine."""
    with _migrated(tmp_path) as env:
        yield env


@pytest.fixture(scope="session")
def _migrated_once(tmp_path_factory):
    """One installation migrated from scratch in each test process, that fresh_database copies: a migration of the
    whole project takes a dozen seconds, a copy of its folder and database well under one."""
    with _migrated(tmp_path_factory.mktemp("migrated")) as env:
        yield env


@pytest.fixture
def fresh_database(tmp_path, db, _migrated_once):
    """A migrated database of the same engine as the suite's, outside the test transaction: a copy of one freshly
    migrated installation, its folder (keys included) and its database."""
    shutil.copytree(_migrated_once["SANXIANG_DATA_DIR"], tmp_path, dirs_exist_ok=True)
    template = urlsplit(_migrated_once["SANXIANG_DATABASE_URL"]).path.lstrip("/")
    with _installation(tmp_path, "concurrency", template=template) as env:
        yield env


@contextmanager
def _migrated(data_dir):
    with _installation(data_dir, "concurrency") as env:
        run(env, "-m", "sanxiang", "migrate", "--no-input")
        yield env


@pytest.fixture
def empty_installation(tmp_path, db):
    """A second installation with its own data folder and a database of the suite's engine that was never migrated
    (PostgreSQL: a new database; SQLite: a file not yet created) — where a backup is restored."""
    folder = tmp_path / "empty"
    folder.mkdir()
    with _installation(folder, "empty") as env:
        yield env


@contextmanager
def _installation(data_dir, label, *, template=None):
    """The environment of an installation in `data_dir`; on PostgreSQL a new database, a copy of `template` if given
    (on SQLite the caller copies the database file with the folder)."""
    env = {"PATH": "/usr/bin:/bin", "SANXIANG_DATA_DIR": str(data_dir), "SANXIANG_LOG_LEVEL": "WARNING"}
    if _on_s3():  # a prefix of the installation's own in the suite's bucket, as its folder is its own
        from django.conf import settings as django_settings

        blobs = urlsplit(django_settings.BLOB_URL)
        env["SANXIANG_BLOB_URL"] = blobs._replace(path=f"{blobs.path}/{label}-{uuid.uuid4().hex[:8]}").geturl()
        env.update({name: os.environ[name] for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")})
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        env["SANXIANG_DATABASE_URL"] = f"sqlite:///{label}.sqlite3"
        yield env
        return
    name = f"sanxiang_{label}_{uuid.uuid4().hex[:8]}"
    server = dict(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    env["SANXIANG_DATABASE_URL"] = (
        f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT'] or 5432}/{name}"
    )
    try:
        yield env
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
