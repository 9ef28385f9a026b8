"""Project-wide consistency: migrations, the custom user model's migration, templates in use."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import migrations
from django.db.migrations.loader import MigrationLoader
from django.template.loader import get_template

BASE_DIR = Path(settings.BASE_DIR)
PROJECT_DIRS = [BASE_DIR / "passemploi", BASE_DIR / "config"]
TEMPLATE_SUFFIXES = (".html", ".txt", ".js", ".xml", ".json")
# A quoted template name, as in render(), template_name=, {% include %} or {% extends %}.
TEMPLATE_NAME = re.compile(r"""["']([\w./-]+\.(?:html|txt|js|xml|json))["']""")
TEMPLATE_TAG = re.compile(r"""{%-?\s*(?:include|extends)\s+["']([^"']+)["']""")


@pytest.mark.django_db  # SQLite's JSONField check asks the database what it supports
def test_system_checks_pass():
    call_command("check", "--fail-level", "WARNING", stdout=StringIO(), stderr=StringIO())


def test_migrations_are_in_sync_with_models(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"models changed without a migration:\n{out.getvalue()} ({exit_})")


# --- the custom user model's migration ---------------------------------------------------------


@pytest.fixture(scope="module")
def graph():
    return MigrationLoader(None, ignore_no_migrations=True).graph


def test_user_model_is_created_by_accounts_0001(graph):
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    assert user_model._meta.app_label == "accounts"
    migration = graph.nodes[("accounts", "0001_initial")]
    created = {op.name for op in migration.operations if isinstance(op, migrations.CreateModel)}
    assert user_model.__name__ in created
    assert migration.initial


def test_accounts_0001_depends_on_no_other_app(graph):
    """Only django.contrib.auth (its groups and permissions tables, for PermissionsMixin)."""
    migration = graph.nodes[("accounts", "0001_initial")]
    for app_label, _name in migration.dependencies:
        assert app_label in ("accounts", "auth"), migration.dependencies
    # Nothing it needs comes, even indirectly, from the project's other apps or the admin.
    ancestors = graph.forwards_plan(("accounts", "0001_initial"))
    project_labels = {
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("passemploi.") and config.label != "accounts"
    }
    foreign = [node for node in ancestors if node[0] in project_labels | {"admin", "sessions"}]
    assert not foreign, foreign


def test_relations_of_accounts_0001_stay_inside_accounts_and_auth(graph):
    migration = graph.nodes[("accounts", "0001_initial")]
    for operation in migration.operations:
        if not isinstance(operation, migrations.CreateModel):
            continue
        for name, field in operation.fields:
            target = getattr(field, "remote_field", None)
            if target is None:
                continue
            model = target.model
            label = model if isinstance(model, str) else model._meta.label
            label = settings.AUTH_USER_MODEL if label == "settings.AUTH_USER_MODEL" else label
            app_label = label.split(".")[0].lower()
            assert app_label in ("accounts", "auth"), f"{operation.name}.{name} -> {label}"


def test_every_user_table_dependent_waits_for_accounts_0001(graph):
    """The admin's log (a foreign key to the user) is created after the user table."""
    assert ("accounts", "0001_initial") in graph.forwards_plan(("admin", "0001_initial"))


# --- templates -----------------------------------------------------------------------------------


def template_files() -> dict[str, Path]:
    """Every template of the project's apps, by the name the loader knows it by."""
    found = {}
    for templates_dir in sorted((BASE_DIR / "passemploi").glob("*/templates")):
        for path in sorted(templates_dir.rglob("*")):
            if path.is_file():
                found[path.relative_to(templates_dir).as_posix()] = path
    return found


def is_email_template(name: str) -> bool:
    return "/emails/" in f"/{name}"


def names_in(text: str) -> set[str]:
    return set(TEMPLATE_NAME.findall(text)) | set(TEMPLATE_TAG.findall(text))


def code_files():
    for directory in PROJECT_DIRS:
        yield from (p for p in directory.rglob("*.py") if "migrations" not in p.parts)


def test_template_files_are_found():
    templates = template_files()
    assert "core/base.html" in templates
    assert "accounts/emails/activation.txt" in templates
    assert all(name.endswith(TEMPLATE_SUFFIXES) for name in templates), sorted(templates)


def test_every_template_is_used():
    """Reachable from Python code, directly or through includes and extends of used ones."""
    templates = template_files()
    used = set()
    for path in code_files():
        used |= names_in(path.read_text()) & set(templates)
    frontier = set(used)
    while frontier:
        name = frontier.pop()
        for referenced in names_in(templates[name].read_text()) & set(templates):
            if referenced not in used:
                used.add(referenced)
                frontier.add(referenced)
    unused = sorted(n for n in templates if n not in used and not is_email_template(n))
    assert not unused, f"templates nothing renders, includes or extends: {unused}"


def test_every_included_or_extended_template_exists():
    for name, path in template_files().items():
        for referenced in TEMPLATE_TAG.findall(path.read_text()):
            get_template(referenced)  # raises TemplateDoesNotExist
            assert referenced != name, f"{name} includes itself"


def test_every_template_named_in_code_exists():
    templates = template_files()
    for path in code_files():
        for name in TEMPLATE_NAME.findall(path.read_text()):
            if name.endswith(".html") or name in templates:
                get_template(name)


def _schema_classes(base):
    for cls in base.__subclasses__():
        yield cls
        yield from _schema_classes(cls)


def test_api_schema_names_are_unique():
    """The OpenAPI document names its components after the classes: two schemas of the same
    name would silently replace one another in the published document."""
    from ninja import Schema

    import passemploi.core.api  # noqa: F401 (every router imported)

    seen: dict[str, str] = {}
    clashes = []
    for cls in _schema_classes(Schema):
        if not cls.__module__.startswith("passemploi."):
            continue
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in seen and seen[cls.__name__] != where:
            clashes.append(f"{seen[cls.__name__]} / {where}")
        seen.setdefault(cls.__name__, where)
    assert not clashes
