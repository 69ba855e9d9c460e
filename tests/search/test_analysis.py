"""How search reads Vietnamese: diacritics, tone-mark placement, NFD, case, abbreviations,
document numbers, phrases."""

from __future__ import annotations

import unicodedata

import pytest

from pressroom.search.analysis import parse, snippet, streams, telex


@pytest.mark.parametrize(("word", "expected"), [
    ("đầu", "ddaauf"), ("tư", "tuw"), ("trường", "truwowngf"), ("thuế", "thuees"),
    ("thuê", "thuee"), ("hòa", "hoaf"), ("hoà", "hoaf"), ("thủy", "thuyr"), ("thuỷ", "thuyr"),
    ("ăn", "awn"), ("giữa", "giuwax"), ("nặng", "nawngj"), ("ba", "ba"),
])
def test_a_word_is_spelt_in_telex_whatever_the_tone_marks_placement(word: str,
                                                                    expected: str) -> None:
    assert telex(word) == expected


def test_case_nfd_and_tone_placement_make_no_difference() -> None:
    written = streams("Hòa bình, THỦY lợi")
    assert streams("hoà bình, thuỷ lợi") == written
    assert streams(unicodedata.normalize("NFD", "Hòa bình, thủy lợi")) == written
    assert written == ("hoaf binhf thuyr lowij", "hoa binh thuy loi")


def test_abbreviations_are_read_as_full_names() -> None:
    assert streams("Thống đốc NHNN")[1] == "thong doc ngan hang nha nuoc"
    assert streams("Bộ YT")[1] == "bo y te"
    assert streams("Sở KH&ĐT")[1] == "so ke hoach va dau tu"


def test_a_document_number_is_a_token_of_its_own() -> None:
    exact, folded = streams("Nghị định 42/2022/NĐ-CP")
    assert folded == "nghi dinh 42 2022 nd cp vb42n2022ndcp"
    assert exact.endswith("vb42n2022ndcp")


def test_a_query_typed_with_diacritics_is_exact_and_without_is_folded() -> None:
    query = parse("thuế thu nhập")
    assert [(c.text, c.exact, [t.exact for t in c.tokens]) for c in query.clauses] == [
        ("thuế", True, ["thuees"]), ("thu", False, ["thu"]), ("nhập", True, ["nhaapj"])]


def test_phrases_abbreviations_and_document_numbers_in_a_query() -> None:
    query = parse('NHNN "lãi suất cho vay" 42/2022/NĐ-CP')
    assert [(c.text, c.exact, [t.folded for t in c.tokens]) for c in query.clauses] == [
        ("NHNN", False, ["ngan", "hang", "nha", "nuoc"]),
        ("lãi suất cho vay", False, ["lai", "suat", "cho", "vay"]),
        ("42/2022/NĐ-CP", False, ["vb42n2022ndcp"])]


def test_an_empty_query_has_no_clauses() -> None:
    assert not parse("  ,.;  ")
    assert not parse("")


def test_the_snippet_marks_the_words_found_and_cuts_at_words() -> None:
    text = ("Mở đầu. " * 20) + "Thống đốc NHNN cho biết lãi suất cho vay sẽ giảm trong quý IV. " \
           + ("Kết thúc. " * 40)
    pieces = snippet(text, parse("ngân hàng nhà nước lãi suất"))
    marked = [piece for piece, matched in pieces if matched]
    assert marked == ["NHNN", "lãi", "suất"]
    assert pieces[0] == ("… ", False) and pieces[-1] == (" …", False)
    assert "".join(piece for piece, _m in pieces).count("Mở đầu") < 20


def test_a_full_name_typed_in_a_query_is_one_name_words_in_order() -> None:
    query = parse("ngan hang nha nuoc giá vàng")
    assert [(c.text, c.exact, [t.folded for t in c.tokens]) for c in query.clauses] == [
        ("ngan hang nha nuoc", False, ["ngan", "hang", "nha", "nuoc"]),
        ("giá", True, ["gia"]), ("vàng", True, ["vang"])]
    assert [(c.text, c.exact) for c in parse("Bộ Quốc phòng").clauses] == [
        ("Bộ Quốc phòng", True)]
    # Not a name of the table: each word on its own.
    assert [c.text for c in parse("bộ phòng quốc").clauses] == ["bộ", "phòng", "quốc"]
