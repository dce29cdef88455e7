"""The privacy guard: personal identity and coordination numbers are found in free text and refused.

Valid examples come from Skatteverket's test series (19121212-1212, 811218-9876, 640823-3234) or are built
here with their Luhn check digit. The check digit over YYMMDDNNN uses weights 2, 1, 2, 1, … and adds the
digits of each product; the check digit is (10 - sum mod 10) mod 10. Worked by hand:

    811218-987?   8·2=16→1+6=7, 1·1=1, 1·2=2, 2·1=2, 1·2=2, 8·1=8, 9·2=18→1+8=9, 8·1=8, 7·2=14→1+4=5
                  sum 7+1+2+2+2+8+9+8+5 = 44, check (10 - 4) mod 10 = 6  → 811218-9876
    121212-121?   1·2=2, 2·1=2, … nine products of 2, sum 18, check (10 - 8) mod 10 = 2  → 121212-1212
    701063-239?   (coordination number, 3 October 1970: day 03 + 60 = 63)
                  7·2=14→5, 0, 1·2=2, 0, 6·2=12→3, 3, 2·2=4, 3, 9·2=18→9
                  sum 5+0+2+0+3+3+4+3+9 = 29, check (10 - 9) mod 10 = 1  → 701063-2391
    850709-998?   8·2=16→7, 5, 0, 7, 0, 9, 9·2=18→9, 8, 0·2=0; sum 45, check 5  → 850709-9805
    000229-123?   0, 0, 0, 2, 2·2=4, 9, 1·2=2, 2, 3·2=6; sum 25, check 5  → 000229-1235 (29 Feb 2000)

The invalid-date examples carry a correct check digit too (asserted below with an independent Luhn over all
ten digits), so they are refused for their date and nothing else.
"""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.migrations.serializer import serializer_factory
from django.utils import translation

from promises.privacy import find_identity_numbers, normalise, redact_identity_numbers, validate_no_identity_number


def luhn_valid(number: str) -> bool:
    """Independent check: over the 10-digit form, weights 2, 1, … 2, 1 give a digit sum divisible by 10."""
    digits = [int(char) for char in number if char.isdigit()][-10:]
    total = 0
    for index, digit in enumerate(digits):
        product = digit * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return total % 10 == 0


VALID = [
    # personnummer, 10 digits
    pytest.param("811218-9876", id="10-dash"),
    pytest.param("121212+1212", id="10-plus-centenarian"),
    pytest.param("8112189876", id="10-no-separator"),
    pytest.param("850709 9805", id="10-space"),
    pytest.param("640823-3234", id="10-dash-skatteverket"),
    # personnummer, 12 digits
    pytest.param("19121212-1212", id="12-dash"),
    pytest.param("191212121212", id="12-no-separator"),
    pytest.param("19811218 9876", id="12-space"),
    pytest.param("19121212+1212", id="12-plus-conservative"),
    # coordination numbers (day + 60)
    pytest.param("701063-2391", id="coordination-10-dash"),
    pytest.param("7010632391", id="coordination-10-no-separator"),
    pytest.param("19701063-2391", id="coordination-12-dash"),
    pytest.param("197010632391", id="coordination-12-no-separator"),
    pytest.param("850191-1237", id="coordination-day-91"),
    # leap years
    pytest.param("000229-1235", id="10-29feb-2000"),
    pytest.param("000229-0088", id="10-29feb-2000-once-taken-for-1900"),
    pytest.param("20000229-1235", id="12-29feb-2000"),
    pytest.param("040229-1231", id="10-29feb-2004"),
    pytest.param("000289-1232", id="coordination-29feb-2000"),
]

INVALID_DATE = [
    pytest.param("851309-1234", id="month-13"),
    pytest.param("850009-1239", id="month-00"),
    pytest.param("850132-1239", id="day-32"),
    pytest.param("850100-1237", id="day-00"),
    pytest.param("850230-1230", id="30-february"),
    pytest.param("850160-1234", id="day-60"),
    pytest.param("850192-1236", id="coordination-day-92"),
    pytest.param("850290-1237", id="coordination-30-february"),
    pytest.param("010229-1234", id="10-29feb-1901-and-2001"),
    pytest.param("010289-1231", id="coordination-29feb-1901-and-2001"),
    pytest.param("19000229-1235", id="12-29feb-1900"),
    pytest.param("20010229-1234", id="12-29feb-2001"),
    pytest.param("19851309-1234", id="12-month-13"),
]

WRONG_CHECK_DIGIT = [
    pytest.param("811218-9875", id="10-dash"),
    pytest.param("121212+1213", id="10-plus"),
    pytest.param("8112189870", id="10-no-separator"),
    pytest.param("850709 9806", id="10-space"),
    pytest.param("19121212-1211", id="12-dash"),
    pytest.param("191212121219", id="12-no-separator"),
    pytest.param("701063-2392", id="coordination"),
]

NOT_IDENTITY_NUMBERS = [
    pytest.param("Ring 070-123 45 67 vid frågor.", id="mobile-spaced"),
    pytest.param("Växel 08-123 456 78.", id="landline-spaced"),
    pytest.param("Ring +46 70 123 45 67.", id="mobile-international"),
    pytest.param("Ring 070-1234567.", id="mobile-dash"),
    pytest.param("Ring 0701234567.", id="mobile-ten-digits"),
    pytest.param("Ring 08-12345678.", id="landline-dash"),
    pytest.param("Ärende 5000-K123456-20 är avslutat.", id="case-number"),
    pytest.param("Diarienummer 2020-0123456789-1.", id="long-case-number"),
    pytest.param("Dnr KS 2020/123.", id="registry-number"),
    pytest.param("645 30 Strängnäs", id="postcode-spaced"),
    pytest.param("64530 Strängnäs", id="postcode"),
    pytest.param("Under 2020 och 2021.", id="years"),
    pytest.param("Möte 2020-03-10 kl. 10:15.", id="iso-date"),
    pytest.param("Möte 10/3 2020.", id="swedish-date"),
    pytest.param("Från 2020-01-01 till 2022-12-31.", id="date-range"),
    pytest.param("12 besök, 3 möten och 1 250 flygblad.", id="ordinary-numbers"),
    pytest.param("Summa 1234567890.", id="ten-digit-number"),
    pytest.param("1811218-9876", id="digit-before"),
    pytest.param("811218-98761", id="digit-after"),
    pytest.param("Kod 81121898761234.", id="embedded-in-long-run"),
    pytest.param("Kod 9919121212121299.", id="12-embedded-in-long-run"),
    pytest.param("", id="empty"),
]

# Every way of writing 811218-9876 (or another valid number) seen getting past the guard before it normalised.
SPELLINGS = [
    pytest.param("811218\u20139876", id="en-dash"),
    pytest.param("811218\u20149876", id="em-dash"),
    pytest.param("811218\u20109876", id="hyphen-u2010"),
    pytest.param("811218\u20119876", id="non-breaking-hyphen"),
    pytest.param("811218\u20159876", id="horizontal-bar"),
    pytest.param("811218\u22129876", id="minus-sign"),
    pytest.param("811218\uff0d9876", id="full-width-hyphen"),
    pytest.param("811218\u00a09876", id="no-break-space"),
    pytest.param("811218\u202f9876", id="narrow-no-break-space"),
    pytest.param("811218  9876", id="two-spaces"),
    pytest.param("811218\t9876", id="tab"),
    pytest.param("811218\n9876", id="line-break"),
    pytest.param("811218\r\n9876", id="crlf"),
    pytest.param("811218 - 9876", id="spaced-dash"),
    pytest.param("811218\u200b9876", id="zero-width-space"),
    pytest.param("811218-\u200b9876", id="dash-and-zero-width-space"),
    pytest.param("8\u200b1\u200c1\u200d2\u20601\ufeff8-9876", id="zero-width-between-digits"),
    pytest.param("811218\u00ad9876", id="soft-hyphen"),
    pytest.param("81.12.18-9876", id="dots-in-date"),
    pytest.param("81.12.18.9876", id="dots-everywhere"),
    pytest.param("81-12-18-9876", id="dashes-in-date"),
    pytest.param("81 12 18-9876", id="spaces-in-date"),
    pytest.param("85-07-09-9805", id="dashes-inside-date"),
    pytest.param("1990-01-01-0017", id="12-iso-date-and-serial"),
    pytest.param("1981-12-18 9876", id="12-iso-date-space-serial"),
    pytest.param("19811218\u20139876", id="12-en-dash"),
    pytest.param("9001 0100 17", id="grouped-4-4-2"),
    pytest.param("8112 18 98 76", id="grouped-yymm-dd-nn-nn"),
    pytest.param("811218 98 76", id="serial-in-pairs"),
    pytest.param("\uff18\uff11\uff11\uff12\uff11\uff18-\uff19\uff18\uff17\uff16", id="full-width-digits"),
    pytest.param("\u0668\u0661\u0661\u0662\u0661\u0668-\u0669\u0668\u0667\u0666", id="arabic-indic-digits"),
    pytest.param("\u06f8\u06f1\u06f1\u06f2\u06f1\u06f8-\u06f9\u06f8\u06f7\u06f6", id="persian-digits"),
    pytest.param("\u096e\u0967\u0967\u0968\u0967\u096e-\u096f\u096e\u096d\u096c", id="devanagari-digits"),
    pytest.param("\U0001d7d6\U0001d7cf\U0001d7cf\U0001d7d0\U0001d7cf\U0001d7d6-9876", id="mathematical-digits"),
    pytest.param("811218-98\u0301 76", id="combining-mark"),
    pytest.param("７０１０６３\u20132391", id="coordination-full-width-en-dash"),
]

# What must still pass: numbers people write in summaries that are not identity numbers.
STILL_ALLOWED = [
    pytest.param("Växel 08-123 456 78.", id="landline-grouped"),
    pytest.param("Ring 070-123 45 67.", id="mobile-grouped"),
    pytest.param("Ring 070\u2013123\u00a045\u00a067.", id="mobile-en-dash-no-break-spaces"),
    pytest.param("Ring 0701-23 45 67.", id="mobile-four-digit-prefix"),
    pytest.param("Ring 08-123 45 67.", id="landline-seven-digits"),
    pytest.param("Ring +46 8 123 456 78.", id="landline-international"),
    pytest.param("Dnr KS 2020/123.", id="diarienummer"),
    pytest.param("Dnr KS 2020/0123 och BUN 2019/45.", id="diarienummer-several"),
    pytest.param("Ärende 2020-123 4567.", id="case-number-grouped-in-threes"),
    pytest.param("Perioden 2020-01-01 - 2020-04-30.", id="date-range-spaced-dash"),
    pytest.param("Perioden 2020-01-01\u20132020-04-30.", id="date-range-en-dash"),
    pytest.param("Perioden 2020-01-01 2020-04-30.", id="two-dates"),
    pytest.param("Möte 2020-03-10 10.15.", id="date-and-time-with-dot"),
    pytest.param("Möte 2020-03-10 kl. 10:15.", id="date-and-time"),
    pytest.param("Möte 10.03.2020.", id="date-with-dots"),
    pytest.param("Budget 1 000 000 kr.", id="amount-million"),
    pytest.param("Budget 2 500 000 000 kr.", id="amount-billions"),
    pytest.param("Budget 250 000 000 000 kr.", id="amount-twelve-digits"),
    pytest.param("1\u00a0000\u00a0000 kr", id="amount-no-break-spaces"),
    pytest.param("Kl. 10.15\u201312.30.", id="times"),
    pytest.param("645 30 Strängnäs", id="postcode"),
    pytest.param("Org.nr 212000-0415.", id="organisation-number"),
]


@pytest.mark.parametrize("number", VALID + INVALID_DATE)
def test_examples_carry_a_correct_check_digit(number):
    assert luhn_valid(number)


@pytest.mark.parametrize("number", WRONG_CHECK_DIGIT)
def test_wrong_check_digit_examples_fail_luhn(number):
    assert not luhn_valid(number)


@pytest.mark.parametrize("number", VALID)
def test_valid_number_is_found(number):
    assert find_identity_numbers(number) == [number]
    assert find_identity_numbers(f"Besökte {number} i dag.") == [number]


@pytest.mark.parametrize("number", INVALID_DATE)
def test_invalid_date_is_not_found(number):
    assert find_identity_numbers(f"Nummer {number} här.") == []


@pytest.mark.parametrize("number", WRONG_CHECK_DIGIT)
def test_wrong_check_digit_is_not_found(number):
    assert find_identity_numbers(f"Nummer {number} här.") == []


@pytest.mark.parametrize("text", NOT_IDENTITY_NUMBERS)
def test_other_numbers_are_not_found(text):
    assert find_identity_numbers(text) == []


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_is_found_as_written(spelling):
    assert luhn_valid(spelling)  # int() reads the digits of any script
    assert find_identity_numbers(spelling) == [spelling]
    assert find_identity_numbers(f"Hembesök hos {spelling} i dag.") == [spelling]
    with pytest.raises(ValidationError):
        validate_no_identity_number(f"minst 2 {spelling}")


@pytest.mark.parametrize("text", STILL_ALLOWED)
def test_numbers_that_are_not_identity_numbers_still_pass(text):
    assert find_identity_numbers(text) == []
    validate_no_identity_number(text)


def test_a_number_after_a_refused_candidate_is_still_found():
    # 12 digits 2020-03-10 1234 fail the check digit; the identity number overlapping their end is found.
    assert find_identity_numbers("2020-03-10 8112 18-9876") == ["8112 18-9876"]


def test_normalise_reads_digits_dashes_and_spaces_of_any_kind():
    assert normalise("８１\u2013٢\u00a0\r\n\u200b3") == "81-2 3"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Inloggning 811218\u20139876 nekad", "Inloggning [removed: identity number] nekad", id="one"),
        pytest.param("a 19121212-1212 b 701063 2391", "a [removed: identity number] b [removed: identity number]"),
        pytest.param("Ring 070-123 45 67", "Ring 070-123 45 67", id="nothing-to-redact"),
        pytest.param("", "", id="empty"),
    ],
)
def test_redact_replaces_every_number_and_nothing_else(text, expected):
    assert redact_identity_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("811218-9876 var på plats.", ["811218-9876"], id="start"),
        pytest.param("Besök hos 811218-9876", ["811218-9876"], id="end"),
        pytest.param("811218-9876", ["811218-9876"], id="whole-text"),
        pytest.param("(811218-9876)", ["811218-9876"], id="parentheses"),
        pytest.param("pnr: 811218-9876.", ["811218-9876"], id="colon-and-full-stop"),
        pytest.param("”19121212-1212”", ["19121212-1212"], id="quotes"),
        pytest.param("rad ett\n701063-2391\nrad tre", ["701063-2391"], id="own-line"),
        pytest.param("pnr811218-9876", ["811218-9876"], id="letters-before"),
        pytest.param("811218-9876a", ["811218-9876"], id="letter-after"),
        pytest.param("811218-9876,19121212-1212", ["811218-9876", "19121212-1212"], id="comma-between"),
        pytest.param(
            "Besök hos 811218-9876 och 19121212-1212, samt 701063-2391 och 850709 9805.",
            ["811218-9876", "19121212-1212", "701063-2391", "850709 9805"],
            id="several",
        ),
        pytest.param(
            "Ring 070-123 45 67 om 811218-9876, ärende 5000-K123456-20, fel 811218-9875.",
            ["811218-9876"],
            id="mixed-with-other-numbers",
        ),
        pytest.param("123456 7890 811218-9876", ["811218-9876"], id="after-rejected-candidate"),
        pytest.param("811218-9876 811218-9876", ["811218-9876", "811218-9876"], id="repeated"),
    ],
)
def test_numbers_in_context(text, expected):
    assert find_identity_numbers(text) == expected


@pytest.mark.parametrize("value", [None, "", "Två hembesök i Mariefred.", "Möte 2020-03-10, ring 070-123 45 67."])
def test_validator_accepts_clean_text(value):
    validate_no_identity_number(value)


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    "number",
    [
        pytest.param("811218-9876", id="10"),
        pytest.param("19121212-1212", id="12"),
        pytest.param("701063-2391", id="coordination"),
        pytest.param("850709 9805", id="space"),
    ],
)
def test_validator_refuses_without_echoing_the_number(number, language):
    with translation.override(language), pytest.raises(ValidationError) as caught:
        validate_no_identity_number(f"Hembesök hos {number}.")
    error = caught.value
    assert error.code == "identity_number"
    with translation.override(language):
        messages = " ".join(error.messages)
    assert messages
    digits = "".join(char for char in number if char.isdigit())
    for fragment in (number, digits, digits[-10:], digits[:6], digits[-4:]):
        assert fragment not in messages


def test_validator_works_on_a_form_field():
    field = forms.CharField(validators=[validate_no_identity_number])
    assert field.clean("Ett hembesök.") == "Ett hembesök."
    with pytest.raises(ValidationError) as caught:
        field.clean("Hembesök hos 811218-9876.")
    assert [error.code for error in caught.value.error_list] == ["identity_number"]


def test_validator_works_on_a_model_field_and_serializes_for_migrations():
    field = models.TextField(validators=[validate_no_identity_number])
    _name, _path, _args, kwargs = field.deconstruct()
    assert kwargs["validators"] == [validate_no_identity_number]
    serialized, imports = serializer_factory(validate_no_identity_number).serialize()
    assert serialized == "promises.privacy.validate_no_identity_number"
    assert imports == {"import promises.privacy"}
    with pytest.raises(ValidationError) as caught:
        field.run_validators("Hembesök hos 19121212-1212.")
    assert [error.code for error in caught.value.error_list] == ["identity_number"]
