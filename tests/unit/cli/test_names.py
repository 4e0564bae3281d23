"""Resource names for discovered objects: readable, stable, unique, whatever the labels hold."""

from __future__ import annotations

import pytest

from cartesia_pulumi.cli.names import NameBook, number_names, provider_names, slug


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Support line", "support-line"),
        ("Café Support ☎ (EU)", "cafe-support-eu"),
        ("  --Sales!!  ", "sales"),
        ("客服", ""),
        ("Ünïcödé — Dash", "unicode-dash"),
        ("x" * 80, "x" * 40),
        (None, ""),
    ],
)
def test_slug_folds_and_bounds(text: str | None, expected: str) -> None:
    assert slug(text) == expected


def test_number_names_from_labels_with_fallbacks_and_collisions() -> None:
    names = number_names(
        [
            ("ap_3", "+14155550102", "Support"),
            ("ap_1", "+14155550100", "Support"),
            ("ap_2", "+14155550101", "+14155550101"),  # label is the number itself
            ("ap_4", "+35315550100", "客服"),  # nothing Latin: named after the number
            ("ap_5", "+35315550101", "Support"),
        ]
    )
    assert names == {
        "ap_1": "support",
        "ap_3": "support-0102",  # the collision takes the number's last digits
        "ap_5": "support-0101",
        "ap_2": "number-14155550101",
        "ap_4": "number-35315550100",
    }


def test_number_names_are_stable_whatever_the_input_order() -> None:
    items = [(f"ap_{i}", f"+1415555{i:04d}", "Same") for i in range(5)]
    assert number_names(items) == number_names(list(reversed(items)))
    assert len(set(number_names(items).values())) == 5


def test_provider_names_by_region_label_then_account() -> None:
    names = provider_names(
        [
            ("ata_b", "AC" + "b" * 32, "us1", None),
            ("ata_a", "AC" + "a" * 32, "us1", None),
            ("ata_c", "AC" + "c" * 32, "ie1", "Dublin"),
        ]
    )
    assert names == {"ata_a": "twilio-us1", "ata_b": "twilio-us1-bbbb", "ata_c": "twilio-ie1-dublin"}


def test_name_book_counts_when_every_candidate_is_taken() -> None:
    book = NameBook(reserved=["a", "a-1"])
    assert book.claim(["a", "a-1"]) == "a-2"
    assert book.claim(["a"]) == "a-3"
