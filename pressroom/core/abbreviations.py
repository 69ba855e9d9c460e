"""Abbreviations of Vietnamese ministries, agencies, bodies and programmes, with their full
names: the one table that duplicate detection (and search) use to read "NHNN", "nhnn",
"Bộ KH&ĐT", "KHDT" and "Ngân hàng Nhà nước" as the same words.

A form matches as a whole token (or, for "Bộ YT"-style forms, a run of whole tokens), with
or without diacritics and whatever its "&", "-" or "." ("KH&ĐT", "KH-ĐT", "KHĐT", "KHDT").
Two-letter forms match only when written in capitals ("TP", not "tp"), and forms that are
spelt like a Vietnamese syllable ("VAT", "EU", "TƯ") only exactly as listed, so that no
ordinary word is ever read as an abbreviation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# (full name, forms). The full name is what a form is replaced with; a ministry's bare
# field ("KH&ĐT") is listed apart from the ministry ("BKHĐT"), so that "Bộ KH&ĐT" reads
# "Bộ Kế hoạch và Đầu tư" and "Sở KH&ĐT" reads "Sở Kế hoạch và Đầu tư".
ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Ministries and ministry-level agencies (before and after the 2025 mergers).
    ("Bộ Quốc phòng", ("BQP", "Bộ QP", "MOD")),
    ("Bộ Công an", ("BCA", "Bộ CA", "MPS")),
    ("Bộ Ngoại giao", ("BNG", "Bộ NG", "MOFA")),
    ("Bộ Nội vụ", ("BNV", "Bộ NV", "MOHA")),
    ("Bộ Tư pháp", ("BTP", "Bộ TP", "MOJ")),
    ("Bộ Kế hoạch và Đầu tư", ("BKHĐT", "BKH&ĐT", "MPI")),
    ("Kế hoạch và Đầu tư", ("KH&ĐT", "KHĐT", "KH-ĐT")),
    ("Bộ Tài chính", ("BTC", "Bộ TC", "MOF")),
    ("Bộ Công Thương", ("BCT", "Bộ CT", "MOIT")),
    ("Bộ Nông nghiệp và Phát triển nông thôn", ("BNNPTNT", "BNN&PTNT", "MARD")),
    ("Nông nghiệp và Phát triển nông thôn", ("NN&PTNT", "NNPTNT", "NN-PTNT")),
    ("Bộ Nông nghiệp và Môi trường", ("BNNMT", "BNN&MT", "Bộ NNMT")),
    ("Nông nghiệp và Môi trường", ("NN&MT", "NN-MT", "NNMT")),
    ("Bộ Giao thông vận tải", ("BGTVT", "Bộ GT")),
    ("Giao thông vận tải", ("GTVT", "GT-VT", "GT&VT")),
    ("Bộ Xây dựng", ("BXD", "Bộ XD")),
    ("Bộ Tài nguyên và Môi trường", ("BTNMT", "BTN&MT", "MONRE")),
    ("Tài nguyên và Môi trường", ("TN&MT", "TNMT", "TN-MT")),
    ("Bộ Thông tin và Truyền thông", ("BTTTT", "BTT&TT")),
    ("Thông tin và Truyền thông", ("TT&TT", "TTTT", "TT-TT")),
    ("Bộ Lao động - Thương binh và Xã hội", ("BLĐTBXH", "BLĐ-TB&XH", "MOLISA")),
    ("Lao động - Thương binh và Xã hội", ("LĐ-TB&XH", "LĐTBXH", "LĐ-TBXH", "LĐTB&XH", "LĐ-TB-XH")),
    ("Bộ Văn hóa, Thể thao và Du lịch", ("BVHTTDL", "BVH-TT&DL", "MOCST")),
    ("Văn hóa, Thể thao và Du lịch", ("VHTTDL", "VH-TT&DL", "VHTT&DL", "VH-TT-DL")),
    ("Bộ Khoa học và Công nghệ", ("BKHCN", "BKH&CN")),
    ("Khoa học và Công nghệ", ("KH&CN", "KHCN", "KH-CN")),
    ("Bộ Giáo dục và Đào tạo", ("BGDĐT", "BGD&ĐT", "Bộ GD", "MOET")),
    ("Giáo dục và Đào tạo", ("GD&ĐT", "GDĐT", "GD-ĐT")),
    ("Bộ Y tế", ("BYT", "Bộ YT", "MOH")),
    ("Bộ Dân tộc và Tôn giáo", ("BDTTG", "BDT&TG")),
    ("Dân tộc và Tôn giáo", ("DT&TG", "DTTG", "DT-TG")),
    ("Ngân hàng Nhà nước", ("NHNN", "SBV")),
    ("Ngân hàng Nhà nước Việt Nam", ("NHNNVN",)),
    ("Thanh tra Chính phủ", ("TTCP",)),
    ("Văn phòng Chính phủ", ("VPCP",)),
    ("Ủy ban Dân tộc", ("UBDT", "CEMA")),
    # Government agencies and other national bodies.
    ("Kiểm toán Nhà nước", ("KTNN",)),
    ("Kho bạc Nhà nước", ("KBNN",)),
    ("Bảo hiểm xã hội", ("BHXH",)),
    ("Bảo hiểm xã hội Việt Nam", ("BHXHVN",)),
    ("Bảo hiểm y tế", ("BHYT",)),
    ("Bảo hiểm thất nghiệp", ("BHTN",)),
    ("Thông tấn xã Việt Nam", ("TTXVN",)),
    ("Đài Truyền hình Việt Nam", ("VTV",)),
    ("Đài Tiếng nói Việt Nam", ("VOV",)),
    ("Ủy ban Chứng khoán Nhà nước", ("UBCKNN", "SSC")),
    ("Ủy ban Quản lý vốn nhà nước tại doanh nghiệp", ("UBQLV", "CMSC")),
    ("Tổng cục Hải quan", ("TCHQ",)),
    ("Viện Kiểm sát nhân dân", ("VKSND",)),
    ("Viện Kiểm sát nhân dân tối cao", ("VKSNDTC",)),
    ("Tòa án nhân dân", ("TAND",)),
    ("Tòa án nhân dân tối cao", ("TANDTC",)),
    ("Đại học Quốc gia", ("ĐHQG",)),
    ("Tập đoàn Điện lực Việt Nam", ("EVN",)),
    ("Tập đoàn Dầu khí Việt Nam", ("PVN",)),
    ("Quốc hội", ("QH",)),
    ("Ủy ban Thường vụ Quốc hội", ("UBTVQH",)),
    ("Mặt trận Tổ quốc", ("MTTQ",)),
    ("Mặt trận Tổ quốc Việt Nam", ("MTTQVN",)),
    ("Ủy ban nhân dân", ("UBND",)),
    ("Hội đồng nhân dân", ("HĐND",)),
    ("Trung ương", ("TW", "T.Ư", "T.W")),  # not "TƯ": "ĐẦU TƯ" in capitals
    ("Chính phủ", ("CP",)),
    ("Thủ tướng", ("TTg",)),
    ("Thủ tướng Chính phủ", ("TTgCP",)),
    ("Ban Chỉ đạo", ("BCĐ",)),
    ("Ban Quản lý", ("BQL",)),
    ("Ban Quản lý dự án", ("BQLDA",)),
    ("Hội đồng quản trị", ("HĐQT",)),
    ("Tổng giám đốc", ("TGĐ",)),
    ("Cảnh sát giao thông", ("CSGT",)),
    ("phòng cháy chữa cháy", ("PCCC",)),
    ("phòng cháy chữa cháy và cứu nạn cứu hộ", ("PCCC&CNCH",)),
    ("Tổ chức Y tế Thế giới", ("WHO",)),
    ("Tổ chức Thương mại Thế giới", ("WTO",)),
    ("Liên hợp quốc", ("LHQ",)),
    ("Liên minh châu Âu", ("EU",)),
    ("Ngân hàng Thế giới", ("WB",)),
    ("Quỹ Tiền tệ Quốc tế", ("IMF",)),
    ("Ngân hàng Phát triển châu Á", ("ADB",)),
    # Legal documents (also the parts of a document number: NĐ-CP, QĐ-TTg).
    ("nghị định", ("NĐ",)),
    ("nghị quyết", ("NQ",)),
    ("quyết định", ("QĐ",)),
    ("văn bản quy phạm pháp luật", ("VBQPPL",)),
    ("vi phạm hành chính", ("VPHC",)),
    ("thủ tục hành chính", ("TTHC",)),
    # Places and regions.
    ("Thành phố Hồ Chí Minh", ("TP.HCM", "TPHCM", "TP.HỒ CHÍ MINH", "Tp.HCM", "TP.Hồ Chí Minh")),
    ("Hồ Chí Minh", ("HCM",)),
    ("thành phố", ("TP", "Tp")),
    ("Hà Nội", ("HN", "TP.HN", "TPHN")),
    ("Việt Nam", ("VN",)),
    ("Thừa Thiên Huế", ("TT-Huế", "TTH")),
    ("Bà Rịa - Vũng Tàu", ("BR-VT", "BRVT")),
    ("đồng bằng sông Cửu Long", ("ĐBSCL",)),
    ("đồng bằng sông Hồng", ("ĐBSH",)),
    ("quốc lộ", ("QL",)),
    # Economy, budget and finance.
    ("tổng sản phẩm quốc nội", ("GDP",)),
    ("chỉ số giá tiêu dùng", ("CPI",)),
    ("đầu tư trực tiếp nước ngoài", ("FDI",)),
    ("hỗ trợ phát triển chính thức", ("ODA",)),
    ("thuế giá trị gia tăng", ("VAT",)),
    ("giá trị gia tăng", ("GTGT",)),
    ("thu nhập doanh nghiệp", ("TNDN",)),
    ("thu nhập cá nhân", ("TNCN",)),
    ("tiêu thụ đặc biệt", ("TTĐB",)),
    ("đối tác công tư", ("PPP",)),
    ("ngân sách nhà nước", ("NSNN",)),
    ("thị trường chứng khoán", ("TTCK",)),
    ("bất động sản", ("BĐS",)),
    ("doanh nghiệp nhà nước", ("DNNN",)),
    ("doanh nghiệp nhỏ và vừa", ("DNNVV",)),
    ("doanh nghiệp", ("DN",)),
    ("khu công nghiệp", ("KCN",)),
    ("cụm công nghiệp", ("CCN",)),
    ("khu kinh tế", ("KKT",)),
    ("hợp tác xã", ("HTX",)),
    ("xuất nhập khẩu", ("XNK",)),
    ("thương mại điện tử", ("TMĐT",)),
    ("kinh tế - xã hội", ("KT-XH", "KTXH")),
    ("đầu tư công", ("ĐTC",)),
    ("giải phóng mặt bằng", ("GPMB",)),
    ("tái định cư", ("TĐC",)),
    ("quyền sử dụng đất", ("QSDĐ",)),
    ("giấy chứng nhận quyền sử dụng đất", ("GCNQSDĐ",)),
    ("nhà ở xã hội", ("NOXH",)),
    ("tổ chức tín dụng", ("TCTD",)),
    ("ngân hàng thương mại", ("NHTM",)),
    ("nhà đầu tư", ("NĐT",)),
    ("người lao động", ("NLĐ",)),
    ("người sử dụng lao động", ("NSDLĐ",)),
    ("xuất khẩu lao động", ("XKLĐ",)),
    ("sản xuất kinh doanh", ("SXKD",)),
    ("năng lượng tái tạo", ("NLTT",)),
    ("biến đổi khí hậu", ("BĐKH",)),
    # Administration and digital government.
    ("công nghệ thông tin", ("CNTT",)),
    ("chuyển đổi số", ("CĐS",)),
    ("dịch vụ công", ("DVC",)),
    ("dịch vụ công trực tuyến", ("DVCTT",)),
    ("cơ sở dữ liệu", ("CSDL",)),
    ("căn cước công dân", ("CCCD",)),
    ("cán bộ, công chức, viên chức", ("CBCCVC", "CB,CC,VC")),
    ("cán bộ, công chức", ("CBCC",)),
    ("thông tin điện tử", ("TTĐT",)),
    # Transport and safety.
    ("an toàn giao thông", ("ATGT",)),
    ("tai nạn giao thông", ("TNGT",)),
    ("giấy phép lái xe", ("GPLX",)),
    ("an toàn thực phẩm", ("ATTP",)),
    ("an toàn vệ sinh thực phẩm", ("ATVSTP",)),
    # Education and health.
    ("trung học phổ thông", ("THPT",)),
    ("trung học cơ sở", ("THCS",)),
    ("đại học", ("ĐH",)),
    ("cao đẳng", ("CĐ",)),
    ("giáo dục nghề nghiệp", ("GDNN",)),
    ("sách giáo khoa", ("SGK",)),
    ("giáo viên", ("GV",)),
    ("học sinh", ("HS",)),
    ("sinh viên", ("SV",)),
    ("đánh giá năng lực", ("ĐGNL",)),
    ("khám chữa bệnh", ("KCB",)),
    ("khám bệnh, chữa bệnh", ("KBCB",)),
    ("bệnh viện", ("BV",)),
    ("bệnh viện đa khoa", ("BVĐK",)),
    ("trung tâm y tế", ("TTYT",)),
    ("trạm y tế", ("TYT",)),
    ("tiêm chủng mở rộng", ("TCMR",)),
    # National target programmes.
    ("chương trình mục tiêu quốc gia", ("CTMTQG", "CTMT QG")),
    ("nông thôn mới", ("NTM",)),
    ("xây dựng nông thôn mới", ("XDNTM",)),
    ("giảm nghèo bền vững", ("GNBV",)),
    ("dân tộc thiểu số", ("DTTS",)),
    ("dân tộc thiểu số và miền núi", ("DTTS&MN", "DTTS-MN")),
)

# Inside a document number ("15/2024/TT-BTC", "QĐ-TTg") these short codes are unambiguous.
DOCUMENT_CODES: dict[str, str] = {
    "tt": "thông tư", "ct": "chỉ thị", "tb": "thông báo", "kh": "kế hoạch", "cv": "công văn",
    "ttlt": "thông tư liên tịch", "l": "luật", "nd": "nghị định", "qd": "quyết định",
    "nq": "nghị quyết", "cp": "Chính phủ", "ttg": "Thủ tướng", "qh": "Quốc hội",
}

_CONNECTORS = re.compile(r"[&.\-]")
# A chunk: letters and digits, possibly joined by & . / - ("KH&ĐT", "TP.HCM", "NĐ-CP").
CHUNK_RE = re.compile(r"[^\W_]+(?:[&./\-][^\W_]+)*")
# Shaped like a Vietnamese syllable once folded: such a form is matched only exactly.
_SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
                       r"([aeiouy]{1,3})(?:ch|ng|nh|[cmnpt])?")
# "y" alone follows only these onsets ("kỹ", "lý", "quy"), so "byt" is not a syllable.
_Y_ONSETS = {"", "h", "k", "kh", "l", "m", "qu", "s", "t", "th", "v"}


def _syllable_shaped(folded: str) -> bool:
    found = _SYLLABLE.fullmatch(folded)
    if found is None:
        return False
    return found.group(2) != "y" or (found.group(1) or "") in _Y_ONSETS


def _fold(value: str) -> str:
    value = unicodedata.normalize("NFD", value.casefold().replace("đ", "d").replace("ð", "d"))
    return "".join(ch for ch in value if unicodedata.category(ch) != "Mn")


@lru_cache(maxsize=65536)
def key(chunk: str) -> str:
    """The folded form of a chunk without its joiners: "KH&ĐT" and "kh-dt" give "khdt"."""
    return _CONNECTORS.sub("", _fold(chunk))


def _tables() -> tuple[dict[tuple[str, ...], tuple[str, frozenset[str] | None]], int]:
    """Forms by the keys of their chunks, each with its full name and, for a form spelt like
    a syllable, the exact spellings its last chunk may have."""
    table: dict[tuple[str, ...], tuple[str, frozenset[str] | None]] = {}
    longest = 1
    for full, forms in ABBREVIATIONS:
        for form in forms:
            parts = CHUNK_RE.findall(unicodedata.normalize("NFC", form))
            keys = tuple(key(p) for p in parts)
            exact: frozenset[str] | None = None
            if _syllable_shaped(keys[-1]):
                exact = frozenset({parts[-1]})
                known = table.get(keys)
                if known is not None and known[1] is not None:
                    exact |= known[1]
            table[keys] = (full, exact)
            longest = max(longest, len(parts))
    return table, longest


_TABLE, _LONGEST = _tables()
_STARTS = frozenset(keys[0] for keys in _TABLE)


def _lookup(parts: Sequence[str]) -> str | None:
    keys = tuple(key(p) for p in parts)
    entry = _TABLE.get(keys)
    if entry is None:
        return None
    full, exact = entry
    last = parts[-1]
    if exact is not None:
        return full if last in exact else None
    if len(keys[-1]) >= 3:
        return full
    # A two-letter form only in capitals.
    letters = [ch for ch in last if ch.isalpha()]
    return full if letters and all(ch.isupper() for ch in letters) else None


def may_start(chunk: str) -> bool:
    """Whether an abbreviation (of one chunk or more) could begin with this chunk."""
    return key(chunk) in _STARTS


def match(chunks: Sequence[str], start: int) -> tuple[int, str] | None:
    """The abbreviation that begins at ``chunks[start]``: how many chunks it spans and its
    full name; None when none does. The longest form wins ("Bộ YT" over "Bộ")."""
    if key(chunks[start]) not in _STARTS:
        return None
    for size in range(min(_LONGEST, len(chunks) - start), 0, -1):
        full = _lookup(chunks[start:start + size])
        if full is not None:
            return size, full
    return None


def document_code(code: str) -> str:
    """The words behind the type part of a document number: "NĐ-CP" → "nghị định Chính phủ",
    "TT-BTC" → "thông tư Bộ Tài chính"; parts it does not know are kept as they are."""
    words: list[str] = []
    for part in code.split("-"):
        k = key(part)
        if k in DOCUMENT_CODES:
            words.append(DOCUMENT_CODES[k])
        else:
            found = _lookup([part])
            words.append(found if found is not None else part)
    return " ".join(words)


def expand_abbreviations(text: str) -> str:
    """The text with every abbreviation replaced by its full name ("NHNN" → "Ngân hàng Nhà
    nước", "Bộ YT" → "Bộ Y tế"); everything else is left exactly as it was."""
    text = unicodedata.normalize("NFC", text)
    found = list(CHUNK_RE.finditer(text))
    chunks = [m.group() for m in found]
    out: list[str] = []
    position = 0
    i = 0
    while i < len(found):
        hit = match(chunks, i)
        if hit is None:
            i += 1
            continue
        size, full = hit
        out.append(text[position:found[i].start()])
        out.append(full)
        position = found[i + size - 1].end()
        i += size
    out.append(text[position:])
    return "".join(out)
