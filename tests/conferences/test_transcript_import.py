"""Importing a transcript from a file: the four formats read from real files (turns, speakers,
times, Vietnamese text intact), and every kind of bad file refused with a message naming what
is wrong and where, never another exception."""

from __future__ import annotations

import io
import random
import struct
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom.conferences.transcript_import import FORMATS, ImportedTurn, parse_transcript
from pressroom.core.errors import ValidationFailed
from pressroom.core.i18n import get_locale, set_locale

DATA = Path(__file__).resolve().parents[1] / "data" / "transcripts"
FIELD = "transcript_file"

SON = "Bộ trưởng Trần Văn Sơn"
LAM = "Thứ trưởng Nguyễn Thanh Lâm"
SAM = "Ông Nguyễn Hồng Sâm"
SON_1 = ("Hội nghị là cơ hội để trao đổi, chia sẻ những kinh nghiệm quý, cách làm hay, cùng nhau "
         "nhìn nhận đánh giá những vấn đề còn tồn tại, hạn chế.")
SON_2 = ("Đề nghị các đại biểu tập trung vào một số nội dung: đánh giá thực trạng hoạt động của các "
         "Cổng Thông tin hiện nay, những mặt được, mặt chưa được, nguyên nhân, đề xuất giải pháp.")
SON_3 = ("Thứ nhất: thảo luận, làm rõ hơn nữa để phát huy vai trò, vị trí của các Cổng TTĐT đối với "
         "hoạt động của các bộ, ngành.")
LAM_1 = ("Trong các phương thức truyền thông hiện nay, Cổng TTĐT là một phương thức mới, còn nhiều "
         "dư địa phát triển, có tính chất riêng có, hấp dẫn thiết yếu và sát sườn với nhu cầu của "
         "người dân.")
HA_1 = ("Xin Thứ trưởng cho biết Bộ Thông tin và Truyền thông đang xây dựng Dự thảo Thông tư nào "
        "về Cổng TTĐT, và khi nào được ban hành?")
LAM_2 = ("Hiện nay Bộ đang xây dựng Dự thảo Thông tư về quy định chức năng, tính năng kỹ thuật của "
         "các Cổng TTĐT, Trang TTĐT của các cơ quan nhà nước.")
LAM_3 = "Vì vậy, Bộ rất mong nhận được đóng góp ý kiến của các cơ quan Bộ, ngành."
SAM_1 = ("Việc sử dụng mạng xã hội cũng như \"con dao hai lưỡi\" đòi hỏi chúng ta phải làm chủ được "
         "công nghệ khi vận hành, nếu không rất dễ trở thành nạn nhân.")

TXT_TURNS = [
    ImportedTurn(SON, f"{SON_1}\n{SON_2}\n\n{SON_3}", 15),
    ImportedTurn(LAM, LAM_1, 250),
    ImportedTurn("Phóng viên Đặng Thu Hà, Báo Nhân Dân", HA_1, 780),
    ImportedTurn("Nguyễn Thanh Lâm, Thứ trưởng Bộ Thông tin và Truyền thông", f"{LAM_2}\n{LAM_3}", 825),
    ImportedTurn(SAM, SAM_1, 1290),
]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages as written in the code (the English catalogue), whatever the default locale."""
    before = get_locale()
    set_locale("en")
    yield
    set_locale(before)


def _file(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _refusal(filename: str, data: bytes) -> str:
    with pytest.raises(ValidationFailed) as caught:
        parse_transcript(filename, data)
    assert caught.value.fields == {FIELD: caught.value.message}
    return caught.value.message


def _docx(build: Callable[[WordDocument], None]) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


# --- the four formats --------------------------------------------------------------------------


def test_plain_text_reads_speakers_times_and_paragraphs() -> None:
    turns = parse_transcript("hop-bao-thang-11.txt", _file("hop-bao-thang-11.txt"))

    assert turns == TXT_TURNS


def test_plain_text_in_utf16_with_bom_reads_the_same() -> None:
    text = _file("hop-bao-thang-11.txt").decode("utf-8")

    assert parse_transcript("a.txt", text.encode("utf-16")) == TXT_TURNS
    assert parse_transcript("a.txt", b"\xfe\xff" + text.encode("utf-16-be")) == TXT_TURNS


def test_plain_text_in_nfd_comes_out_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", _file("hop-bao-thang-11.txt").decode("utf-8"))
    assert decomposed.encode() != _file("hop-bao-thang-11.txt")

    turns = parse_transcript("a.txt", decomposed.encode())

    assert turns == TXT_TURNS
    assert all(unicodedata.is_normalized("NFC", t.text + t.speaker_name) for t in turns)


def test_srt_merges_cues_of_one_speaker_and_strips_tags() -> None:
    data = _file("hop-bao-thang-11.srt")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data

    turns = parse_transcript("hop-bao-thang-11.srt", data)

    assert turns == [
        ImportedTurn(SON, "Hội nghị là cơ hội để trao đổi, chia sẻ những kinh nghiệm quý, cách làm "
                          "hay. Các Cổng TTĐT cần kết nối để phục vụ cao nhất những yêu cầu của "
                          "người dân & doanh nghiệp.", 15),
        ImportedTurn(LAM, "Cổng TTĐT là một phương thức mới, còn nhiều dư địa phát triển. Cổng TTĐT "
                          "các cấp ngày càng có vai trò quan trọng.", 250),
        ImportedTurn("Phóng viên Đặng Thu Hà", "Xin Thứ trưởng cho biết Dự thảo Thông tư về Cổng "
                                               "TTĐT khi nào được ban hành?", 780),
        ImportedTurn(LAM, "Bộ đang xây dựng Dự thảo Thông tư về chức năng, tính năng kỹ thuật của "
                          "các Cổng TTĐT. Số liệu cụ thể sẽ được Trung tâm Thông tin trả lời bằng "
                          "văn bản.", 825),
    ]


def test_vtt_reads_voices_and_decodes_entities() -> None:
    turns = parse_transcript("hop-bao-thang-11.vtt", _file("hop-bao-thang-11.vtt"))

    assert turns == [
        ImportedTurn(SON, "Hội nghị là cơ hội để trao đổi, chia sẻ những kinh nghiệm quý, cách làm "
                          "hay.", 15),
        ImportedTurn(LAM, "Cổng TTĐT là một phương thức mới & còn nhiều dư địa phát triển.", 250),
        ImportedTurn("Phóng viên Đặng Thu Hà", "Xin Thứ trưởng cho biết <Dự thảo Thông tư> khi nào "
                                               "được ban hành?", 780),
        ImportedTurn(LAM, "Bộ đang xây dựng Dự thảo Thông tư. Số liệu cụ thể sẽ được trả lời bằng "
                          "văn bản.", 780),
        ImportedTurn("Phóng viên Phạm Quang Minh", "Xin cảm ơn Thứ trưởng.", 3602),
    ]


def test_vtt_in_nfd_comes_out_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", _file("hop-bao-thang-11.vtt").decode("utf-8"))

    turns = parse_transcript("a.vtt", decomposed.encode())

    assert turns[0] == ImportedTurn(SON, "Hội nghị là cơ hội để trao đổi, chia sẻ những kinh nghiệm "
                                         "quý, cách làm hay.", 15)
    assert len(turns) == 5


def test_docx_reads_bold_speakers_and_skips_the_heading() -> None:
    turns = parse_transcript("hop-bao-thang-11.docx", _file("hop-bao-thang-11.docx"))

    assert turns == [
        ImportedTurn(SON, f"{SON_1}\n\n{SON_2}", 15),
        ImportedTurn("Thứ trưởng Bộ Thông tin và Truyền thông Nguyễn Thanh Lâm", LAM_1, 250),
        ImportedTurn("phóng viên Đặng Thu Hà (Báo Nhân Dân)", HA_1, 780),
        ImportedTurn(LAM, f"{LAM_2}\n{LAM_3}", 825),
        ImportedTurn(SAM, SAM_1, 1290),
    ]


def test_docx_table_reads_time_speaker_and_text_columns() -> None:
    turns = parse_transcript("hop-bao-thang-11-bang.docx", _file("hop-bao-thang-11-bang.docx"))

    assert turns == [
        ImportedTurn(SON, f"{SON_1}\n\n{SON_2}\n\n{SON_3}", 15),
        ImportedTurn(LAM, LAM_1, 250),
        ImportedTurn("Phóng viên Đặng Thu Hà – Báo Nhân Dân", HA_1, 780),
        ImportedTurn(LAM, LAM_2, 825),
        ImportedTurn(SAM, SAM_1, 1290),
    ]


def test_docx_table_of_two_columns_reads_speaker_and_text() -> None:
    def build(document: WordDocument) -> None:
        table = document.add_table(rows=0, cols=2)
        for speaker, text in [("Người phát biểu", "Nội dung"), (SON, SON_1), ("", SON_2),
                              (SAM, unicodedata.normalize("NFD", SAM_1))]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = speaker, text

    turns = parse_transcript("bang.docx", _docx(build))

    assert turns == [ImportedTurn(SON, f"{SON_1}\n\n{SON_2}", None), ImportedTurn(SAM, SAM_1, None)]


def test_extension_is_read_in_any_case_and_from_a_windows_path() -> None:
    turns = parse_transcript("C:\\fakepath\\HOP-BAO.SRT", _file("hop-bao-thang-11.srt"))

    assert len(turns) == 4


def test_plain_text_without_speakers_is_one_turn_without_a_name() -> None:
    text = ("Phát biểu khai mạc.\nThời gian tới, Bộ sẽ tập trung vào hai việc: đào tạo nguồn "
            "nhân lực và kết nối các Cổng TTĐT.")

    turns = parse_transcript("a.txt", f"{text}\n".encode())

    assert turns == [ImportedTurn("", text, None)]


def test_turn_longer_than_the_limit_goes_on_in_a_new_turn_of_the_speaker() -> None:
    paragraph = " ".join(["Cổng TTĐT"] * 1500)  # 14,999 characters
    data = f"{SON}: {paragraph}\n{paragraph}\n{SAM}: {SAM_1}\n".encode()

    turns = parse_transcript("a.txt", data)

    assert [(t.speaker_name, len(t.text)) for t in turns] == [(SON, 14999), (SON, 14999),
                                                              (SAM, len(SAM_1))]


def test_two_thousand_turns_are_read() -> None:
    lines = [f"{'Phóng viên' if i % 2 else 'Người phát ngôn'}: câu {i}" for i in range(2000)]

    turns = parse_transcript("a.txt", "\n".join(lines).encode())

    assert len(turns) == 2000
    assert turns[-1] == ImportedTurn("Phóng viên", "câu 1999", None)


# --- refused files -----------------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["ghi-am.exe", "ghi-am", "ghi-am.txt.exe", "ghi-am.pdf"])
def test_unknown_extension_is_refused(filename: str) -> None:
    assert _refusal(filename, _file("hop-bao-thang-11.txt")) == (
        "Files of this type cannot be imported: choose a .txt, .srt, .vtt or .docx file.")


def test_old_word_document_is_refused_with_advice() -> None:
    message = "Old Word documents (.doc) cannot be read: open the file in Word and save it as .docx."

    assert _refusal("bien-ban.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)) == message
    assert _refusal("bien-ban.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)) == message


@pytest.mark.parametrize("extension", FORMATS)
def test_empty_file_is_refused(extension: str) -> None:
    assert _refusal(f"a.{extension}", b"") == "The file is empty."


@pytest.mark.parametrize("extension", ["txt", "srt", "vtt"])
def test_blank_text_file_is_refused(extension: str) -> None:
    assert _refusal(f"a.{extension}", b" \r\n\n\t\n") == "No transcript text was found in this file."


def test_random_bytes_named_docx_are_refused() -> None:
    data = random.Random(11).randbytes(4096)

    assert _refusal("a.docx", data) == "This file is not a Word document (.docx)."


def test_zip_without_a_word_document_is_refused() -> None:
    data = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})

    assert _refusal("a.docx", data) == "This file is not a Word document (.docx)."


DAMAGED = ("This Word document is damaged or is not a .docx file: open it in Word and save it again "
           "as .docx.")


@pytest.mark.parametrize("keep", [0.25, 0.5, 0.99])
def test_truncated_docx_is_refused(keep: float) -> None:
    data = _file("hop-bao-thang-11.docx")

    assert _refusal("a.docx", data[: int(len(data) * keep)]) == DAMAGED


def test_docx_with_broken_xml_is_refused() -> None:
    with zipfile.ZipFile(DATA / "hop-bao-thang-11.docx") as original:
        members = {info.filename: original.read(info) for info in original.infolist()}
    members["word/document.xml"] = members["word/document.xml"][:300]

    assert _refusal("a.docx", _zip(members)) == DAMAGED


def test_docx_that_unpacks_past_the_limit_is_refused() -> None:
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * (25 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024

    assert _refusal("a.docx", bomb) == (
        "This Word document is too large once unpacked (more than 20 MB of text).")


def test_docx_whose_zip_understates_a_size_is_refused() -> None:
    """A ZIP entry claiming 5,000 bytes that unpacks to 40 MB: read in bounded chunks up to the
    claimed size, then refused on the checksum; python-docx never sees the original."""
    with zipfile.ZipFile(DATA / "hop-bao-thang-11.docx") as original:
        members = {info.filename: original.read(info) for info in original.infolist()}
    members["word/document.xml"] += b" " * (40 * 1024 * 1024)
    data = bytearray(_zip(members))
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46: entry + 46 + name_length] == b"word/document.xml":
            struct.pack_into("<I", data, entry + 24, 5000)
        entry = data.find(b"PK\x01\x02", entry + 4)

    assert _refusal("a.docx", bytes(data)) == DAMAGED


def test_docx_table_of_four_columns_is_refused_naming_the_row() -> None:
    def build(document: WordDocument) -> None:
        document.add_paragraph(f"{SON}: {SON_1}")
        table = document.add_table(rows=2, cols=4)
        table.rows[1].cells[0].text = "0:01:00"

    assert _refusal("a.docx", _docx(build)) == (
        "Table 1, row 2: a transcript table has 2 columns (speaker, text) or 3 (time, speaker, "
        "text), not 4.")


def test_docx_table_with_a_bad_time_is_refused_naming_the_row() -> None:
    def build(document: WordDocument) -> None:
        table = document.add_table(rows=0, cols=3)
        for time, speaker, text in [("0:00:15", SON, SON_1), ("sáng", SAM, SAM_1)]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = time, speaker, text

    assert _refusal("a.docx", _docx(build)) == "Table 1, row 2: “sáng” is not a valid time code."


def test_invalid_utf8_srt_is_refused_naming_the_line() -> None:
    data = ("1\n00:00:15,000 --> 00:00:21,400\nXin chào các nhà báo.\n\n2\n"
            "00:00:21,400 --> 00:00:27,900\n").encode() + "Phóng viên: câu\n".encode("cp1258")

    assert _refusal("a.srt", data) == (
        "Line 7: the text is not UTF-8. Save the file as UTF-8 text (in Notepad: Save as, "
        "Encoding: UTF-8) and try again.")


def test_utf16_without_bom_is_refused() -> None:
    data = "Phong vien: cau hoi\n".encode("utf-16-le")

    assert _refusal("a.txt", data) == (
        "Line 1: the file contains a NUL character, so it is not plain text (UTF-16 without a "
        "byte-order mark?).")


def test_damaged_utf16_is_refused() -> None:
    data = b"\xff\xfe" + "Phóng viên: câu hỏi".encode("utf-16-le") + b"\x00"

    assert _refusal("a.txt", data) == (
        "The file says it is UTF-16 but its text cannot be read as UTF-16.")


@pytest.mark.parametrize(("filename", "source", "message"), [
    ("a.txt", "hop-bao-thang-11.srt", "This file looks like SubRip (SRT): give it the .srt extension."),
    ("a.vtt", "hop-bao-thang-11.srt", "This file looks like SubRip (SRT): give it the .srt extension."),
    ("a.srt", "hop-bao-thang-11.vtt", "This file looks like WebVTT: give it the .vtt extension."),
    ("a.txt", "hop-bao-thang-11.docx", "This file looks like Word (DOCX): give it the .docx extension."),
    ("a.srt", "hop-bao-thang-11.txt",
     "This file is not SubRip (SRT): it should begin with a cue number and a time line such as "
     "00:00:01,000 --> 00:00:04,000."),
    ("a.vtt", "hop-bao-thang-11.txt", "This file is not WebVTT: its first line should be WEBVTT."),
])
def test_content_not_matching_the_extension_is_refused(filename: str, source: str, message: str) -> None:
    assert _refusal(filename, _file(source)) == message


def test_pdf_named_txt_is_refused() -> None:
    assert _refusal("a.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") == (
        "This file is not text: it looks like a PDF file.")


def test_more_than_two_thousand_turns_are_refused_naming_the_line() -> None:
    lines = [f"{'Phóng viên' if i % 2 else 'Người phát ngôn'}: câu {i}" for i in range(2001)]

    assert _refusal("a.txt", "\n".join(lines).encode()) == (
        "Line 2001: a transcript has at most 2000 turns; split it into several files.")


def test_srt_with_a_bad_time_line_is_refused_naming_the_line() -> None:
    data = b"1\n00:00:01,000 --> 00:00:02,000\nXin chao\n\n2\n00:00:0x,000 --> 00:00:04,000\nabc\n"

    assert _refusal("a.srt", data) == (
        "Line 6: “00:00:0x,000 --> 00:00:04,000” is not a valid time line; write it like "
        "00:01:02,500 --> 00:01:05,000.")


def test_srt_cue_without_a_number_is_refused_naming_the_line() -> None:
    data = b"1\n00:00:01,000 --> 00:00:02,000\nXin chao\n\n00:00:03,000 --> 00:00:04,000\nabc\n"

    assert _refusal("a.srt", data) == "Line 5: a cue number is missing before this time line."


def test_vtt_text_outside_a_cue_is_refused_naming_the_line() -> None:
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nXin chao\n\ncon tiep\n\n00:03.000 --> 00:04.000\nabc\n"

    assert _refusal("a.vtt", data) == (
        "Line 6: text outside a cue; a cue starts with a time line such as 00:00:01.000 --> "
        "00:00:04.000 (is there a blank line inside a cue's text?).")


def test_vtt_with_an_impossible_time_is_refused_naming_the_line() -> None:
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nXin chao\n\n00:73.000 --> 00:74.000\nabc\n"

    assert _refusal("a.vtt", data) == (
        "Line 6: “00:73.000 --> 00:74.000” is not a valid time line; write it like "
        "00:01:02.500 --> 00:01:05.000.")


def test_cue_past_24_hours_is_refused_naming_the_line() -> None:
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nXin chao\n\n25:00:01.000 --> 25:00:02.000\nabc\n"

    assert _refusal("a.vtt", data) == (
        "Line 6: the time 25:00:01.000 is more than 24 hours into the recording.")


@pytest.mark.parametrize(("line", "message"), [
    ("[0:75:00] Phóng viên: câu hỏi", "Line 3: “0:75:00” is not a valid time code."),
    ("[25:00:00] Phóng viên: câu hỏi",
     "Line 3: the time 25:00:00 is more than 24 hours into the recording."),
])
def test_plain_text_with_a_bad_time_code_is_refused_naming_the_line(line: str, message: str) -> None:
    data = f"{SON}: {SON_1}\n\n{line}\n".encode()

    assert _refusal("a.txt", data) == message


def test_voice_name_over_200_characters_is_refused_naming_the_line() -> None:
    data = ("WEBVTT\n\n00:01.000 --> 00:02.000\n<v " + "Trần " * 50 + ">Xin chào\n").encode()

    assert _refusal("a.vtt", data) == "Line 3: the speaker's name is longer than 200 characters."


def test_passage_over_20000_characters_is_refused_naming_the_line() -> None:
    data = f"{SON}: {SON_1}\n{SAM}: {'chữ ' * 5001}\n".encode()

    assert _refusal("a.txt", data) == (
        "Line 2: this passage is longer than 20000 characters; split it into shorter paragraphs.")


def test_file_over_20_mb_is_refused() -> None:
    assert _refusal("a.txt", b"a" * (20 * 1024 * 1024 + 1)) == "The file is larger than 20 MB."


# --- whatever the bytes ------------------------------------------------------------------------


def _valid(turns: list[ImportedTurn]) -> bool:
    return 1 <= len(turns) <= 2000 and all(
        t.text and len(t.text) <= 20000 and len(t.speaker_name) <= 200
        and unicodedata.is_normalized("NFC", t.text + t.speaker_name)
        and (t.offset_seconds is None or 0 <= t.offset_seconds <= 86400)
        for t in turns
    )


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(extension=st.sampled_from(FORMATS), data=st.binary(max_size=3000))
def test_any_bytes_give_turns_or_a_validation_failure(extension: str, data: bytes) -> None:
    try:
        turns = parse_transcript(f"a.{extension}", data)
    except ValidationFailed as refused:
        assert refused.fields == {FIELD: refused.message}
    else:
        assert _valid(turns)


SOURCES = sorted(p.name for p in DATA.iterdir() if p.suffix != ".md")


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(source=st.sampled_from(SOURCES), at=st.floats(0, 1), cut=st.integers(0, 64),
       insert=st.binary(max_size=64))
def test_damaged_real_files_give_turns_or_a_validation_failure(source: str, at: float, cut: int,
                                                                insert: bytes) -> None:
    data = _file(source)
    position = int(len(data) * at)
    damaged = data[:position] + insert + data[position + cut:]
    try:
        turns = parse_transcript(source, damaged)
    except ValidationFailed as refused:
        assert refused.fields == {FIELD: refused.message}
    else:
        assert _valid(turns)
