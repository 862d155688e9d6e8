"""Step 1: persona validation, completion and derived numbers."""

import pytest

from cxlib.steps import personas
from cxlib.storage.store import ValidationError


def test_save_validates_and_keeps_lists(store, workbook):
    saved = personas.save_persona(
        store,
        workbook["id"],
        {"name": " Ana ", "goals": "a\nb", "channels": ["web", "app"], "segment_size": "12", "segment_value": 3.5},
        "t",
    )
    assert saved["name"] == "Ana" and saved["channels"] == ["web", "app"]
    assert saved["segment_size"] == 12 and saved["segment_value"] == 3.5


@pytest.mark.parametrize(
    "values, field, rule",
    [
        ({"name": ""}, "name", "required"),
        ({"name": "A", "channels": ["fax"]}, "channels", "choice"),
        ({"name": "A", "segment_size": "many"}, "segment_size", "number"),
        ({"name": "A", "segment_value": -1}, "segment_value", "min0"),
    ],
)
def test_bad_input_names_the_field(store, workbook, values, field, rule):
    with pytest.raises(ValidationError) as raised:
        personas.save_persona(store, workbook["id"], values, "t")
    assert raised.value.field == field and raised.value.details["rule"] == rule
    assert personas.list_personas(store, workbook["id"]) == []


def test_completion_needs_goals_and_pain_points():
    assert personas.is_complete({"goals": "x", "pain_points": "- y"})
    assert not personas.is_complete({"goals": "x", "pain_points": "  \n- "})
    assert not personas.is_complete({"goals": "", "pain_points": "y"})


def test_initials_and_revenue_share():
    assert personas.initials("maya novak smith") == "MN"
    assert personas.initials("") == "?"
    shares = personas.revenue_share(
        [{"id": 1, "segment_value": 30.0}, {"id": 2, "segment_value": 10.0}, {"id": 3, "segment_value": None}]
    )
    assert shares == {1: 0.75, 2: 0.25, 3: None}
