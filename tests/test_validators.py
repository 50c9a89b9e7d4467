"""Bad answers are refused with the validator's sentence, before anything is written."""

from pathlib import Path

import pytest
from copier import run_copy


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"project_slug": "Bad Slug"}, r"must match \^\[a-z\]\[a-z0-9-\]\*\$"),
        ({"project_slug": "9lives"}, "must match"),
        ({"port_base": 80}, "port_base must be between 1024 and 64000"),
        ({"port_base": 64001}, "port_base must be between 1024 and 64000"),
        ({"author_email": "not-an-email"}, "is not a valid email address"),
        ({"project_name": "   "}, "project_name must not be empty"),
        ({"project_name": 'Say "hi"'}, "must not contain quotes"),
        ({"python_version": "3.10"}, "3.10"),
        ({"github_owner": "bad owner!"}, "is not a valid GitHub user or organisation"),
    ],
)
def test_bad_answers_fail_before_writing(
    template_snapshot: Path, tmp_path: Path, answers: dict, message: str
):
    target = tmp_path / "project"
    data = {"project_name": "Demo", **answers}

    with pytest.raises(ValueError, match=message):
        run_copy(str(template_snapshot), target, data=data, defaults=True, unsafe=True, quiet=True)

    assert not target.exists()
