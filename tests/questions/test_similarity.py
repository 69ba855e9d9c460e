"""The duplicate-question scorer: Vietnamese-aware reading (NFC, case, tone-mark placement,
text without diacritics, abbreviations), what separates a duplicate from a new question on
the same topic, index terms, the labelled sets' figures and the ``pressroom duplicates
score`` command."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.duplicates import (
    Pair,
    evaluate,
    load_pairs,
    precision_recall_f1,
    roc_auc,
)
from pressroom.cli import app
from pressroom.core.abbreviations import expand_abbreviations
from pressroom.questions.similarity import (
    THRESHOLD,
    fold,
    normalise,
    profile,
    score,
    score_profiles,
    terms,
)

DATA = Path(__file__).resolve().parent.parent / "data"

DISBURSEMENT = (
    "Tiến độ giải ngân vốn đầu tư công năm 2024\n"
    "Đề nghị Bộ Kế hoạch và Đầu tư cho biết đến hết tháng 9/2024 cả nước đã giải ngân được "
    "bao nhiêu phần trăm kế hoạch vốn đầu tư công? Địa phương nào giải ngân chậm nhất?"
)
DISBURSEMENT_TYPED_PLAIN = (
    "tien do giai ngan von dau tu cong nam 2024\n"
    "xin hoi bo ke hoach va dau tu, den het thang 9/2024 ca nuoc giai ngan duoc bao nhieu "
    "phan tram ke hoach von dau tu cong, dia phuong nao cham nhat?"
)
DISBURSEMENT_ABBREVIATED = (
    "Tiến độ giải ngân vốn ĐTC năm 2024\n"
    "Đề nghị Bộ KH&ĐT cho biết đến hết tháng 9/2024 cả nước đã giải ngân được bao nhiêu "
    "phần trăm kế hoạch vốn ĐTC? Địa phương nào giải ngân chậm nhất?"
)
DISBURSEMENT_2023 = (
    "Tiến độ giải ngân vốn đầu tư công năm 2023\n"
    "Đề nghị Bộ Kế hoạch và Đầu tư cho biết đến hết tháng 9/2023 cả nước đã giải ngân được "
    "bao nhiêu phần trăm kế hoạch vốn đầu tư công? Địa phương nào giải ngân chậm nhất?"
)
MEASLES_HANOI = (
    "Dịch sởi tại Hà Nội\n"
    "Số ca mắc sởi ở Hà Nội tăng nhanh trong tháng 11. Bộ Y tế có đủ vắc xin sởi để tiêm "
    "bổ sung cho trẻ em Hà Nội không?"
)
MEASLES_NGHE_AN = (
    "Dịch sởi tại Nghệ An\n"
    "Số ca mắc sởi ở Nghệ An tăng nhanh trong tháng 11. Bộ Y tế có đủ vắc xin sởi để tiêm "
    "bổ sung cho trẻ em Nghệ An không?"
)
UNRELATED = "Hạn nộp hồ sơ thẻ nhà báo\nBao giờ kết thúc đợt xét cấp thẻ nhà báo?"


def test_normalise_nfd_input_equals_nfc() -> None:
    nfd = unicodedata.normalize("NFD", DISBURSEMENT)
    assert nfd != DISBURSEMENT
    assert normalise(nfd) == normalise(DISBURSEMENT)
    assert score(DISBURSEMENT, nfd) == 1.0


def test_normalise_marks_typed_out_of_order_meet() -> None:
    # "ế" typed as e + acute + circumflex: NFC alone cannot compose it.
    assert normalise("tie\u0301\u0302n đo\u0323\u0302") == "tiến độ"


@pytest.mark.parametrize(("old", "new"), [
    ("hoà bình", "hòa bình"), ("thuý", "thúy"), ("uỷ ban", "ủy ban"), ("khoẻ", "khỏe"),
    ("hoá đơn", "hóa đơn"), ("thuỷ lợi", "thủy lợi"),
])
def test_normalise_tone_placement_variants_equal(old: str, new: str) -> None:
    assert normalise(old) == normalise(new) == new


def test_normalise_keeps_tone_on_the_right_vowel() -> None:
    assert normalise("NGƯỜI QUỐC GIỮA KHUỶU NGOÀI TOÁN HOẠCH") == (
        "người quốc giữa khuỷu ngoài toán hoạch")


def test_fold_removes_diacritics_and_d_stroke() -> None:
    assert fold("Đầu tư CÔNG, Ủy ban") == "dau tu cong, uy ban"


def test_score_tone_placement_variants_equal() -> None:
    old = "Hỗ trợ hộ nghèo sau lũ ở Hoà Bình\nUỷ ban nhân dân tỉnh Hoà Bình đã chi bao nhiêu?"
    new = "Hỗ trợ hộ nghèo sau lũ ở Hòa Bình\nỦy ban nhân dân tỉnh Hòa Bình đã chi bao nhiêu?"
    assert score(old, new) == 1.0


def test_score_case_does_not_matter() -> None:
    assert score(DISBURSEMENT, DISBURSEMENT.upper()) == 1.0


def test_score_no_diacritics_duplicate_above_threshold() -> None:
    assert score(DISBURSEMENT, DISBURSEMENT_TYPED_PLAIN) >= THRESHOLD


def test_score_abbreviation_duplicate_above_threshold() -> None:
    assert score(DISBURSEMENT, DISBURSEMENT_ABBREVIATED) >= THRESHOLD


def test_score_other_year_below_threshold() -> None:
    assert score(DISBURSEMENT, DISBURSEMENT_2023) < THRESHOLD


def test_score_other_province_below_threshold() -> None:
    assert score(MEASLES_HANOI, MEASLES_NGHE_AN) < THRESHOLD


def test_score_other_decree_below_threshold() -> None:
    decree_100 = ("Mức phạt vượt đèn đỏ theo Nghị định 100/2019/NĐ-CP\n"
                  "Người đi xe máy vượt đèn đỏ bị phạt bao nhiêu tiền?")
    decree_168 = ("Mức phạt vượt đèn đỏ theo Nghị định 168/2024/NĐ-CP\n"
                  "Người đi xe máy vượt đèn đỏ bị phạt bao nhiêu tiền?")
    assert score(decree_100, decree_168) < THRESHOLD


def test_score_unrelated_questions_near_zero() -> None:
    assert score(DISBURSEMENT, UNRELATED) < 0.1


def test_score_is_symmetric_and_within_bounds() -> None:
    pairs = [(DISBURSEMENT, DISBURSEMENT_2023), (MEASLES_HANOI, UNRELATED), ("", DISBURSEMENT)]
    for a, b in pairs:
        assert score(a, b) == score(b, a)
        assert 0.0 <= score(a, b) <= 1.0
    assert score("", "") == 0.0


def test_score_profiles_equals_score() -> None:
    assert score_profiles(profile(DISBURSEMENT), profile(DISBURSEMENT_ABBREVIATED)) == score(
        DISBURSEMENT, DISBURSEMENT_ABBREVIATED)


def test_profile_amounts_written_differently_are_equal() -> None:
    assert profile("gói 120.000 tỷ đồng").entities == profile("gói 120 nghìn tỷ đồng").entities
    assert profile("lương 2,34 triệu đồng").entities == {"num": frozenset({"2340000"})}
    assert profile("Nghị định 09/2017/NĐ-CP").entities == {
        "doc": frozenset({"9/2017/ndcp"}), "num": frozenset({"9"}),
        "year": frozenset({"2017"})}


def test_terms_share_a_term_without_diacritics() -> None:
    assert terms(DISBURSEMENT) & terms(DISBURSEMENT_TYPED_PLAIN)
    assert "giai" in terms(DISBURSEMENT_TYPED_PLAIN)


def test_terms_share_a_term_with_abbreviations() -> None:
    assert terms("NHNN điều hành tỷ giá") & terms("Ngan hang Nha nuoc dieu hanh ty gia")
    # "ĐTC" and "KH&ĐT" are read as "đầu tư công" and "Kế hoạch và Đầu tư".
    assert {"dau", "#year:2024"} <= terms(DISBURSEMENT_ABBREVIATED) & terms(DISBURSEMENT)


def test_terms_leave_out_boilerplate() -> None:
    assert terms("Đề nghị Bộ cho biết như thế nào trong thời gian tới?") == set()


@pytest.mark.parametrize(("text", "expanded"), [
    ("NHNN và Bộ KH&ĐT", "Ngân hàng Nhà nước và Bộ Kế hoạch và Đầu tư"),
    ("nhnn, kh-dt, KHDT", "Ngân hàng Nhà nước, Kế hoạch và Đầu tư, Kế hoạch và Đầu tư"),
    ("Bộ YT, BYT, Bộ LĐ-TB&XH", "Bộ Y tế, Bộ Y tế, Bộ Lao động - Thương binh và Xã hội"),
    ("UBND TP.HCM", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
    ("thuế VAT", "thuế thuế giá trị gia tăng"),
    # Two letters only in capitals; a form spelt like a syllable only exactly as listed.
    ("tp và vat", "tp và vat"),
])
def test_expand_abbreviations_whole_tokens(text: str, expanded: str) -> None:
    assert expand_abbreviations(text) == expanded


def test_roc_auc_counts_ties_half() -> None:
    assert roc_auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == 0.75
    assert roc_auc([0.5, 0.5], [0, 1]) == 0.5


def test_precision_recall_f1_at_threshold() -> None:
    assert precision_recall_f1([0.9, 0.7, 0.2, 0.6], [1, 0, 1, 1], 0.6) == (2 / 3, 2 / 3, 2 / 3)


@pytest.mark.parametrize("name", ["duplicate_pairs.jsonl", "duplicate_pairs_holdout.jsonl"])
def test_labelled_set_reaches_targets(name: str) -> None:
    pairs = load_pairs(DATA / name)
    figures = evaluate(pairs)
    assert figures.auc >= 0.97
    assert figures.f1 >= 0.95


def test_labelled_set_is_balanced_and_large_enough() -> None:
    pairs = load_pairs(DATA / "duplicate_pairs.jsonl")
    holdout = load_pairs(DATA / "duplicate_pairs_holdout.jsonl")
    assert len(pairs) >= 240
    assert len(holdout) >= 80
    for labelled in (pairs, holdout):
        share = sum(p.label for p in labelled) / len(labelled)
        assert 0.4 <= share <= 0.6
        assert {p.kind for p in labelled} == {"paraphrase", "reorder", "no_diacritics",
                                              "abbreviation", "mixed", "same_topic",
                                              "unrelated"}


def _jsonl(rows: list[dict[str, object]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def test_cli_score_prints_one_score_per_pair_in_order(tmp_path: Path) -> None:
    pairs = [Pair(DISBURSEMENT, DISBURSEMENT_ABBREVIATED, 1, ""),
             Pair(DISBURSEMENT, UNRELATED, 0, ""),
             Pair(MEASLES_HANOI, MEASLES_HANOI, 1, "")]
    path = tmp_path / "pairs.jsonl"
    path.write_text(_jsonl([{"a": p.a, "b": p.b, "label": p.label} for p in pairs]) + "\n",
                    encoding="utf-8")

    result = CliRunner().invoke(app, ["duplicates", "score", str(path)])

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"{score(p.a, p.b):.4f}" for p in pairs]
    assert result.stdout.splitlines()[2] == "1.0000"


def test_cli_score_reads_standard_input() -> None:
    rows = [{"a": MEASLES_HANOI, "b": MEASLES_NGHE_AN}, {"a": UNRELATED, "b": UNRELATED}]

    result = CliRunner().invoke(app, ["duplicates", "score", "-"], input=_jsonl(rows))

    assert result.exit_code == 0
    assert result.stdout == f"{score(MEASLES_HANOI, MEASLES_NGHE_AN):.4f}\n1.0000\n"


@pytest.mark.parametrize(("line", "message"), [
    ('{"a": "x", "b": ', "Error: line 2 is not valid JSON"),
    ('{"a": "x"}', 'Error: line 2 needs "a" and "b"'),
    ('["x", "y"]', 'Error: line 2 needs "a" and "b"'),
    ('{"a": "x", "b": 3}', 'Error: line 2 needs "a" and "b"'),
])
def test_cli_score_bad_line_names_it_and_exits_1(line: str, message: str) -> None:
    text = _jsonl([{"a": DISBURSEMENT, "b": UNRELATED}]) + line + "\n"

    result = CliRunner().invoke(app, ["duplicates", "score", "-"], input=text)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr


def test_cli_score_missing_file_exits_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["duplicates", "score", str(tmp_path / "none.jsonl")])

    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot read {tmp_path / 'none.jsonl'}")
