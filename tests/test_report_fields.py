"""The canonical fields as `klynge.reports.fields` reads them from the programme's list."""

from klynge.reports.fields import FIELD_BY_NAME, FIELDS
from klynge.ui.texts import field_label


def test_a_comma_in_a_meaning_stays_in_the_meaning():
    """The list does not quote its last column, the meaning: the full-time equivalents'
    meaning names a decimal comma, and English readers saw it cut at that comma ("... '1")."""
    spec = FIELD_BY_NAME["mgmt_fte"]
    assert spec.meaning == "Full-time equivalents in cluster management (decimal comma possible: '1,6')"
    assert (spec.label, spec.type) == ("Antall årsverk i klyngeledelsen", "decimal")
    assert field_label("mgmt_fte") in (spec.meaning, spec.label)  # outside a script run: bokmål


def test_every_field_has_a_name_label_type_and_meaning():
    assert len(FIELDS) == len(FIELD_BY_NAME) > 40
    assert all(spec.name and spec.label and spec.type and spec.meaning for spec in FIELDS)
