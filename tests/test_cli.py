"""The command line: recommend from a file or stdin, and curator accounts."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from advisor.admin.models import MIN_PASSWORD_LENGTH, User
from advisor.catalog.service import current_version
from advisor.extensions import db

CONSTRAINTS = {
    "project_kind": "microservice",
    "features": ["api_docs"],
    "data_model": "relational",
    "scale": "medium",
    "workload": "io_bound",
    "team_experience": "intermediate",
    "priorities": {"performance": 5, "typing": 4},
    "deployment": "kubernetes",
}
PASSWORD = "correct horse battery staple"


def _check_result(app, result, top: int = 5) -> dict:
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    stacks = data["stacks"]
    assert 1 <= len(stacks) <= top
    assert [s["rank"] for s in stacks] == list(range(1, len(stacks) + 1))
    assert all(s["components"] for s in stacks)
    assert data["constraints"]["project_kind"] == CONSTRAINTS["project_kind"]
    with app.app_context():
        version = current_version()
    assert version > 0
    assert data["catalog_version"] == version
    return data


def test_recommend_reads_a_file(app, runner, tmp_path):
    path = tmp_path / "constraints.json"
    path.write_text(json.dumps(CONSTRAINTS), encoding="utf-8")
    data = _check_result(app, runner.invoke(args=["recommend", str(path)]))
    assert data["stacks"][0]["components"]["framework"] == "fastapi"


def test_recommend_reads_stdin(app, runner):
    result = runner.invoke(args=["recommend", "-"], input=json.dumps(CONSTRAINTS))
    data = _check_result(app, result)
    from_file = runner.invoke(args=["recommend", "-"], input=json.dumps(CONSTRAINTS))
    assert json.loads(from_file.stdout)["stacks"] == data["stacks"]


def test_recommend_top(app, runner):
    result = runner.invoke(args=["recommend", "-", "--top", "2"], input=json.dumps(CONSTRAINTS))
    assert len(_check_result(app, result, top=2)["stacks"]) <= 2


@pytest.mark.parametrize(
    ("constraints", "field"),
    [
        ({**CONSTRAINTS, "project_kind": "spaceship"}, "project_kind"),
        ({**CONSTRAINTS, "scale": 7}, "scale"),
        ({**CONSTRAINTS, "priorities": {"performance": 9}}, "priorities"),
        ({**CONSTRAINTS, "unknown_option": True}, "unknown_option"),
        ({**CONSTRAINTS, "must_use": ["no-such-tech"]}, "no-such-tech"),
        ([1, 2, 3], "_schema"),
    ],
    ids=["kind", "scale", "priority", "unknown-key", "unknown-tech", "not-object"],
)
def test_recommend_refuses_invalid_constraints(runner, constraints, field):
    result = runner.invoke(args=["recommend", "-"], input=json.dumps(constraints))
    assert result.exit_code != 0
    assert result.stdout == ""
    assert field in result.stderr
    assert "errors" in json.loads(result.stderr)


def test_recommend_refuses_invalid_json(runner):
    result = runner.invoke(args=["recommend", "-"], input="{not json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Not valid JSON" in result.stderr


def test_recommend_missing_file(runner, tmp_path):
    result = runner.invoke(args=["recommend", str(tmp_path / "nope.json")])
    assert result.exit_code != 0
    assert result.stdout == ""


def _user(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


@pytest.mark.parametrize("admin", [False, True])
def test_curator_create_with_password_stdin(app, runner, admin):
    args = ["curator", "create", "  New.Curator@Example.org ", "--password-stdin"]
    result = runner.invoke(args=args + (["--admin"] if admin else []), input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    user = _user(app, "new.curator@example.org")
    assert user is not None
    assert user.role == ("admin" if admin else "curator")
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "x")
    assert PASSWORD not in (user.password_hash or "")


def test_curator_short_password_is_refused(app, runner):
    short = "x" * (MIN_PASSWORD_LENGTH - 1)
    result = runner.invoke(
        args=["curator", "create", "short@example.org", "--password-stdin"], input=short + "\n"
    )
    assert result.exit_code != 0
    assert str(MIN_PASSWORD_LENGTH) in result.output
    assert _user(app, "short@example.org") is None


def test_curator_duplicate_email_is_refused(app, runner):
    args = ["curator", "create", "dup@example.org", "--password-stdin"]
    assert runner.invoke(args=args, input=PASSWORD + "\n").exit_code == 0
    result = runner.invoke(
        args=["curator", "create", "DUP@example.org", "--password-stdin"], input="another long password\n"
    )
    assert result.exit_code != 0
    assert "already exists" in result.output
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(User).where(User.email == "dup@example.org")
            )
            == 1
        )
    assert _user(app, "dup@example.org").check_password(PASSWORD)


def test_curator_bad_email_is_refused(app, runner):
    result = runner.invoke(
        args=["curator", "create", "not-an-email", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code != 0
    assert "not an email address" in result.output
