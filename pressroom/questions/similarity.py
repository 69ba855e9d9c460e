"""How alike two journalists' questions are: the pure text engine behind duplicate flags.

A question is "title + newline + body". Each text is read once into a ``Profile`` (what a
caller stores next to a question) and two profiles are compared in microseconds:

- Vietnamese-aware reading: NFC (and marks typed in any order), case, the old and new
  placement of tone marks ("hoà"/"hòa", "thuý"/"thúy", "uỷ"/"ủy") and the abbreviations of
  ministries, agencies and programmes ("NHNN", "Bộ KH&ĐT", "KHDT") read as their full names.
- Words are compared without diacritics (đ → d), so a text typed without them meets its
  accented twin; where both texts carry diacritics, a shared folded word spelt differently
  ("bán"/"bàn") counts against the pair.
- Words weigh by how much they say: question boilerplate ("đề nghị Bộ cho biết", "như thế
  nào", "thời gian tới") weighs almost nothing, common administrative words little, and
  numbers, years, document numbers and named things (provinces, diseases, commodities,
  vehicles, groups of people, school levels) much. Pairs of adjacent syllables count too,
  because a Vietnamese word is often two syllables ("đầu tư", "giải ngân").
- A disagreement on those named things (another year, another decree, another province,
  another disease) or on what is asked (cause, solution, amount, date) pushes two otherwise
  alike questions apart: that is the difference between a duplicate and a new question on
  the same topic.

``score(a, b) >= THRESHOLD`` flags a duplicate; ``terms(text)`` gives the folded words to
put in an inverted index, so that candidates can be found among many stored questions and
only those rescored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from pressroom.core import abbreviations
from pressroom.core.abbreviations import expand_abbreviations
from pressroom.core.text import WORD as _WORD
from pressroom.core.text import fold, normalise
from pressroom.core.text import prepare as _prepare
from pressroom.core.text import syllable as _syllable

__all__ = [
    "THRESHOLD",
    "Profile",
    "expand_abbreviations",
    "fold",
    "normalise",
    "profile",
    "score",
    "score_profiles",
    "terms",
]

# The shipped decision threshold: a pair scoring at least this is flagged as a duplicate.
THRESHOLD = 0.6

# ---------------------------------------------------------------------------------------
# Weights. A word not listed below weighs 1.
# ---------------------------------------------------------------------------------------
_FUNCTION = 0.05  # grammar and question boilerplate
_LOW = 0.2  # frequent words that say little about the subject
_GENERIC = 0.4  # administrative vocabulary shared by questions on unrelated subjects
_COMMON = 0.6  # syllables frequent in any Vietnamese news text (parts of many words)

# Named things: the weight of the extra "entity" term, and how much a disagreement costs.
_ENTITY_WEIGHT = {
    "num": 1.5, "year": 1.5, "doc": 2.0, "code": 1.5, "place": 1.5, "disease": 1.5,
    "commodity": 1.0, "vehicle": 1.0, "group": 0.8, "level": 1.0,
}
_MISMATCH = {
    "num": 0.35, "year": 0.5, "doc": 0.5, "code": 0.3, "place": 0.45, "disease": 0.45,
    "commodity": 0.35, "vehicle": 0.35, "group": 0.25, "level": 0.35,
}
_INTENT_MISMATCH = 0.2
_BIGRAM_MIN = 0.1  # lighter words are skipped when pairing syllables
_TERM_MIN = 0.5  # lighter words are not index terms
_ACCENT_MISMATCH = 0.6
_UNIGRAM_SHARE = 0.85  # the rest is bigrams
_DICE_SHARE = 0.7  # the rest is containment (the shorter text's share found in the other)

# ---------------------------------------------------------------------------------------
# Lexicon, written in ordinary Vietnamese (folded when the module loads). Entries separated
# by ";". An entry starting with "=" matches only with its diacritics (for words whose
# folded form is also a common other word: "sởi" measles / "sợi" fibre).
# ---------------------------------------------------------------------------------------

# Single syllables by weight, as folded forms, with their readings in the comments where
# one folded form covers both a function word and a content word.
_SYLLABLE_WEIGHTS: dict[float, str] = {
    _FUNCTION: """va; cua; cac; nhung; la; duoc; voi; nay; se; neu; hay; hoac; nao; gi; ra;
        vao; len; bi; rang; mot; nhieu; rat; hon; deu; ta; chung; ay; kia; nua; sao; ai;
        a; oi; nhe; theo; xin; biet; ro; it; vua""",
    # co có/cơ; cho cho/chợ; de để/đề/đê; den đến/đền; trong trong/trọng; ve về/vé; da đã/đá;
    # o ở/ô; khi khi/khí; nen nên/nền; khong không; nhu như/nhu; viec việc; tung từng;
    # truoc, tren, duoi, giua, ngay ngày/ngay; bo Bộ/bỏ; ong ông; ba bà/ba.
    _LOW: """co; cho; de; den; trong; ve; da; o; khi; nen; khong; nhu; viec; tung; truoc;
        tren; duoi; giua; ngay; bo; ong; ba; ban; cu; hoi; toi; day; the; van; vi; lai; chi;
        nhat; su; moi; qua; sau; dang; chua; con; do; ma; tu; dong; nguoi; dan; nam; thang;
        tinh; lam; hien; tai; ngoai; ho; minh; thi; cung; gui; het""",
    # Administrative words found in questions on any subject.
    _GENERIC: """nganh; cap; nha; nuoc; chinh; phu; quoc; te; cong; dung; hanh; phap; dinh;
        ly; quan; thuc; trien; khai; ket; ke; hoach; thong; tin; vay; thanh; pho; gia; y;
        kinh; tien; xa; hoi; so; dia; phuong; vien; nhan; truong""",
    # Frequent syllables: a word made of them is common too, so it says less.
    _COMMON: """hoc; viet; trung; phat; dai; san; xuat; gian; thoi; cao; lon; dau; hang; tong; du;
        an; luc; he; chuc; to; doanh; nghiep; dieu; kien; muc; tieu; dat; vu; chu; yeu; hop;
        tac; nang; tro; lao; doi; phan; phong; bieu; can; tri; loi; tao; huong; tiep; hinh;
        luong; danh; chat; cau; nhap; hieu; truyen; thuong; mai; khu; vuc; bien; tra; toan;
        mat; tham; gop; giai; cuc; sach; che; luat; nguyen; thiet; phai""",
}

# Phrases by weight.
_PHRASE_WEIGHTS: dict[float, str] = {
    _FUNCTION: """đề nghị; xin hỏi; cho biết; xin cho biết; đề nghị cho biết; xin Bộ cho biết;
        như thế nào; thế nào; ra sao; hiện nay; thời gian tới; thời gian qua; vừa qua;
        gần đây; phóng viên; báo; báo chí; tòa soạn; bạn đọc; độc giả; dư luận; quan tâm;
        phản ánh; được biết; theo phản ánh; vấn đề; câu hỏi; trả lời; thông tin;
        cung cấp thông tin; làm rõ; kính gửi; lãnh đạo; Bộ trưởng; Thứ trưởng;
        người phát ngôn; cơ quan chức năng; cơ quan; đơn vị; liên quan; về việc; cụ thể;
        có thể; hay không; hay chưa; được không; nhằm; đối với; thực tế; trên địa bàn;
        địa bàn; có hay không; phải chăng; liệu; xin được hỏi; đề nghị Bộ; xin ông;
        xin bà; thưa; trân trọng; cảm ơn; hiện tại; tới đây; sắp tới; trong thời gian;
        nội dung; một số; nhiều nơi; các cấp; các ngành; các bộ ngành; bộ ngành""",
    _LOW: """tình trạng; thực hiện; triển khai; dự kiến; kế hoạch; có kế hoạch; định hướng;
        chỉ đạo; địa phương; thành phố; tỉnh; người dân; nhân dân; công dân; Việt Nam;
        nước ta; trong nước; Nhà nước; Chính phủ; Thủ tướng; Thủ tướng Chính phủ; Bộ;
        ngành; cơ chế; năm nay; năm tới; năm sau; thời gian; thời điểm này; đánh giá;
        xem xét; nghiên cứu; tiến độ; kết quả; tình hình; vì sao; tại sao; nguyên nhân;
        lý do; giải pháp; biện pháp; khi nào; bao giờ; bao nhiêu; hướng dẫn; đảm bảo;
        lý giải; giải thích; nêu rõ; nêu; thông tin về; cho hay; xin hỏi Bộ;
        bảo đảm; tăng cường; đẩy mạnh; hiệu quả; quy định; chính sách""",
    _GENERIC: """quản lý; phương án; trách nhiệm; khó khăn; vướng mắc; xử lý; kiểm tra;
        tổ chức; thủ tục; văn bản; tham mưu; đề xuất; kiến nghị; ban hành;
        doanh nghiệp; thị trường""",
}

# What a question asks. Two questions asking disjoint kinds of thing are less alike; when
# and progress are one kind ("khi nào xong" / "tiến độ đến đâu").
_INTENTS: dict[str, str] = {
    "when": """khi nào; bao giờ; lúc nào; thời điểm nào; bao lâu; đến bao giờ; đến khi nào;
        chừng nào; ngày nào; thời gian nào; thời hạn; lộ trình; mốc thời gian; tiến độ;
        đến nay; đến thời điểm này; đến đâu; tình hình triển khai""",
    "cause": "vì sao; tại sao; nguyên nhân; lý do; do đâu; vì đâu; bởi đâu; nguyên do",
    "amount": "bao nhiêu; là bao nhiêu; con số; số liệu; tổng số; số lượng; mức bao nhiêu",
    "solution": """giải pháp; biện pháp; làm thế nào; làm gì; cách nào; hướng xử lý;
        phương án xử lý; khắc phục; hướng giải quyết; có giải pháp gì""",
    "responsibility": "trách nhiệm; chịu trách nhiệm; ai chịu trách nhiệm",
}

# One spelling for words with several ("ô tô", "ôtô", "xe hơi"). Canonical: variants.
_SYNONYMS: dict[str, str] = {
    "vắc xin": "vaccine; vacxin; vắcxin; vaccin; vac xin",
    "tiêm chủng": "tiêm phòng; tiêm vắc xin; tiêm ngừa",
    "hoàn thành": "xong; hoàn tất; về đích; kết thúc",
    "khởi công": "động thổ; bắt đầu xây dựng; bắt đầu thi công; khởi động thi công",
    "sửa đổi": "điều chỉnh; thay đổi; sửa đổi bổ sung; sửa đổi, bổ sung",
    "giảm": "hạ; cắt giảm; giảm bớt; kéo giảm",
    "tăng": "tăng lên; điều chỉnh tăng; nâng",
    "phạt": "xử phạt; phạt tiền; mức phạt; xử lý vi phạm",
    "nồng độ cồn": "hơi thở có cồn; cồn trong máu",
    "sổ đỏ": """sổ hồng; giấy chứng nhận quyền sử dụng đất; giấy chứng nhận; bìa đỏ;
        giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở""",
    "sân bay": "cảng hàng không; phi trường",
    "cao tốc": "đường cao tốc; tuyến cao tốc",
    "ùn tắc": "kẹt xe; tắc đường; ùn tắc giao thông; tắc nghẽn",
    "lũ lụt": "lũ; lụt; ngập lụt; mưa lũ; lũ quét",
    "sạt lở": "sạt lở đất; lở đất; sạt trượt",
    "thiếu": "thiếu hụt; khan hiếm; không đủ; thiếu trầm trọng",
    "hỗ trợ": "trợ giúp; giúp đỡ; hỗ trợ kinh phí",
    "bồi thường": "đền bù",
    "sáp nhập": "sát nhập; hợp nhất; sắp xếp lại",
    "tinh giản biên chế": "tinh giảm biên chế; giảm biên chế",
    "lừa đảo": "lừa gạt",
    "lương": "tiền lương; mức lương",
    "học phí": "tiền học; mức thu học phí",
    "chung cư": "căn hộ chung cư",
    "giá": "giá cả; giá bán",
    "thuế giá trị gia tăng": "thuế VAT; thuế GTGT",
    "ngân sách nhà nước": "ngân sách; ngân sách trung ương",
    "bảo hiểm xã hội một lần": "rút bảo hiểm xã hội một lần; rút một lần",
    "tin giả": """thông tin sai sự thật; tin sai sự thật; tin thất thiệt; thông tin thất thiệt;
        tin đồn thất thiệt; thông tin sai lệch; tin sai lệch; thông tin giả""",
    "giá trị": "kim ngạch; trị giá",
    "chỉ tiêu": "mục tiêu",
    "vận hành": """khai thác; đưa vào sử dụng; đưa vào hoạt động; đi vào hoạt động;
        đưa vào khai thác; đưa vào vận hành""",
    "giải phóng mặt bằng": "bàn giao mặt bằng; thu hồi mặt bằng",
    "lượt khách": "lượng khách",
    "thiệt hại": "tổn thất",
    "người bệnh": "bệnh nhân",
    "quá tải": "vượt công suất; ùn ứ",
    "phê duyệt": "thông qua; chấp thuận; phê chuẩn; đồng ý; cho phép",
    "gia hạn": "kéo dài",
    "đề xuất": "kiến nghị",
    "tử vong": "thiệt mạng; tử nạn; chết",
    "ca mắc": "ca bệnh; trường hợp mắc; số mắc",
    "kinh phí": "nguồn kinh phí; ngân sách hỗ trợ",
    "lừa đảo trực tuyến": "lừa đảo qua mạng; lừa đảo trên mạng; lừa đảo trên không gian mạng",
    "đình chỉ": "tạm dừng; ngừng",
    "thu hồi": "rút giấy phép",
    "giả danh": "mạo danh; giả mạo; đội lốt",
    "ứng dụng": "phần mềm; app",
    "kẻ gian": "đối tượng xấu; kẻ xấu; các đối tượng; đối tượng lừa đảo",
    "nhập viện": "đi viện; vào viện; phải nhập viện; đi cấp cứu",
    "phát điện": "hòa lưới; hòa lưới điện; đưa vào phát điện",
    "chuyển tiền": "chuyển khoản",
    "khuôn mặt": "gương mặt",
    "người dân": "cư dân; hộ dân; bà con; nhân dân",
    "khối ngoại": "nhà đầu tư nước ngoài",
    "ngăn chặn": "chặn; ngăn ngừa; phòng ngừa; chặn đứng",
    "khám chữa bệnh": "khám bệnh, chữa bệnh; khám, chữa bệnh; khám và chữa bệnh",
    "hàng giả": "hàng nhái; hàng kém chất lượng",
    "mua bán": "buôn bán",
    "sử dụng": "dùng",
    "bùng phát": "tái bùng phát; bùng phát trở lại; lây lan mạnh",
    "tăng mạnh": "tăng cao; tăng nhanh; tăng vọt; tăng đột biến; tăng kỷ lục",
    "giảm mạnh": "giảm sâu; sụt giảm mạnh; lao dốc",
    "doanh nghiệp": "công ty; các doanh nghiệp",
    "cơ quan chức năng": "cơ quan quản lý; cơ quan có thẩm quyền",
}

# Named things by kind: canonical name → other ways of writing it or of pointing at it. A
# variant sharing no syllable with the canonical name is read as the canonical name
# ("Sài Gòn" as "Hồ Chí Minh", "xe hơi" as "ô tô") unless it starts with "+"; one that does
# ("giá vàng", "bệnh sởi") only marks the thing. Variants with digits are codes ("H5N1").
_ENTITIES: dict[str, dict[str, str]] = {
    "place": {
        "Hà Nội": "Thủ đô; thủ đô Hà Nội",
        "Hồ Chí Minh": "Sài Gòn; thành phố Hồ Chí Minh",
        "Hải Phòng": "", "Đà Nẵng": "", "Cần Thơ": "", "Huế": "Thừa Thiên Huế; Thừa Thiên - Huế",
        "An Giang": "", "Bà Rịa - Vũng Tàu": "Bà Rịa Vũng Tàu; Vũng Tàu", "Bắc Giang": "",
        "Bắc Kạn": "Bắc Cạn", "Bạc Liêu": "", "Bắc Ninh": "", "Bến Tre": "", "Bình Định": "",
        "Bình Dương": "", "Bình Phước": "", "Bình Thuận": "", "Cà Mau": "", "Cao Bằng": "",
        "Đắk Lắk": "Đắc Lắc; Đăk Lăk; Daklak; Đắk Lắc", "Đắk Nông": "Đắc Nông; Đăk Nông",
        "Điện Biên": "", "Đồng Nai": "", "Đồng Tháp": "", "Gia Lai": "", "Hà Giang": "",
        "Hà Nam": "", "Hà Tĩnh": "", "Hải Dương": "", "Hậu Giang": "", "Hòa Bình": "",
        "Hưng Yên": "", "Khánh Hòa": "", "Kiên Giang": "", "Kon Tum": "Kontum",
        "Lai Châu": "", "Lâm Đồng": "", "Lạng Sơn": "", "Lào Cai": "", "Long An": "",
        "Nam Định": "", "Nghệ An": "", "Ninh Bình": "", "Ninh Thuận": "", "Phú Thọ": "",
        "Phú Yên": "", "Quảng Bình": "", "Quảng Nam": "", "Quảng Ngãi": "", "Quảng Ninh": "",
        "Quảng Trị": "", "Sóc Trăng": "", "Sơn La": "", "Tây Ninh": "", "Thái Bình": "",
        "Thái Nguyên": "", "Thanh Hóa": "", "Tiền Giang": "", "Trà Vinh": "",
        "Tuyên Quang": "", "Vĩnh Long": "", "Vĩnh Phúc": "", "Yên Bái": "",
        "Nha Trang": "", "Đà Lạt": "", "Hạ Long": "", "Phú Quốc": "", "Buôn Ma Thuột": "",
        "Quy Nhơn": "", "Sa Pa": "Sapa", "Hội An": "", "Côn Đảo": "", "Thủ Đức": "",
        "Long Thành": "", "Cam Ranh": "", "Móng Cái": "",
        "Tây Nguyên": "", "đồng bằng sông Cửu Long": "miền Tây; miền Tây Nam Bộ",
        "đồng bằng sông Hồng": "", "miền Trung": "các tỉnh miền Trung; Trung Bộ",
        "miền Bắc": "các tỉnh miền Bắc; Bắc Bộ", "miền Nam": "các tỉnh miền Nam; Nam Bộ",
        "Tây Bắc": "", "Đông Nam Bộ": "", "Bắc Trung Bộ": "", "Nam Trung Bộ": "",
        "cả nước": "toàn quốc; phạm vi cả nước; trên cả nước; phạm vi toàn quốc",
    },
    "disease": {
        "sốt xuất huyết": "", "tay chân miệng": "",
        "sởi": "=sởi; bệnh sởi; dịch sởi; vắc xin sởi",
        "covid": "COVID-19; covid19; +corona; SARS-CoV-2; +nCoV",
        "cúm": "=cúm; bệnh cúm; dịch cúm; cúm mùa; cúm A",
        "cúm gia cầm": "cúm A/H5N1; H5N1; A/H5N1; cúm H5N1",
        "bạch hầu": "", "ho gà": "", "dại": "bệnh dại; chó dại; dịch dại",
        "đậu mùa khỉ": "mpox; +đậu mùa", "viêm não": "viêm não Nhật Bản",
        "lao": "bệnh lao; lao phổi", "sốt rét": "", "tả": "bệnh tả; dịch tả",
        "dịch tả lợn châu Phi": "tả lợn châu Phi; dịch tả heo châu Phi",
        "thủy đậu": "", "Whitmore": "", "uốn ván": "", "bại liệt": "", "viêm gan": "",
        "HIV": "AIDS", "ung thư": "", "đái tháo đường": "tiểu đường",
        "tăng huyết áp": "cao huyết áp", "Zika": "", "Ebola": "", "Adenovirus": "Adeno",
        "lở mồm long móng": "", "viêm màng não": "", "ngộ độc thực phẩm": "",
    },
    "commodity": {
        "vàng": "=vàng; giá vàng; vàng miếng; vàng nhẫn; vàng SJC; +kim loại quý",
        "xăng dầu": "xăng; giá xăng; =dầu; giá dầu; dầu diesel; dầu hỏa; RON95; E5",
        "điện": """giá điện; tiền điện; điện sinh hoạt; cung ứng điện; thiếu điện; mất điện;
            cắt điện; ngành điện; điện năng; hóa đơn tiền điện""",
        "lúa gạo": "gạo; =lúa; giá lúa; giá gạo; xuất khẩu gạo",
        "thịt lợn": "thịt heo; lợn hơi; +heo hơi; giá lợn", "thép": "", "xi măng": "",
        "cà phê": "", "hồ tiêu": "", "sầu riêng": "", "thanh long": "",
        "tôm": "=tôm; giá tôm; nuôi tôm; tôm hùm; xuất khẩu tôm", "cá tra": "",
        "cao su": "", "phân bón": "", "thuốc lá": "thuốc lá điện tử",
        "thuốc": """=thuốc; thuốc chữa bệnh; thiếu thuốc; giá thuốc; thuốc men; +dược phẩm;
            thuốc điều trị; mua thuốc""",
        "vắc xin": "", "sữa": "=sữa; sữa bột", "vé máy bay": "giá vé máy bay",
        "rượu bia": "rượu; =bia; rượu, bia; bia rượu; đồ uống có cồn",
        "nhà ở": "nhà ở thương mại; +căn hộ", "nhà ở xã hội": "", "học phí": "",
    },
    "vehicle": {
        "ô tô": "ôtô; xe ô tô; xe hơi; +xe con",
        "xe máy": "xe gắn máy; mô tô; xe mô tô; môtô; xe mô tô, xe gắn máy",
        "xe đạp điện": "xe máy điện", "xe điện": "ô tô điện", "xe tải": "",
        "xe khách": "", "xe buýt": "xe bus", "xe container": "+xe đầu kéo",
        "tàu hỏa": "tàu hoả; tàu lửa; +đường sắt", "máy bay": "tàu bay",
        "xe cứu thương": "", "xe đạp": "",
    },
    "group": {
        "học sinh": "các em học sinh; học trò", "sinh viên": "",
        "giáo viên": "nhà giáo; thầy cô giáo; thầy cô; thầy giáo; cô giáo",
        "nhân viên y tế": "y bác sĩ; bác sĩ; cán bộ y tế; nhân lực y tế; y tá; điều dưỡng",
        "người lao động": "công nhân; lao động", "trẻ em": "trẻ nhỏ",
        "người cao tuổi": "người già", "hộ nghèo": "người nghèo", "hộ cận nghèo": "",
        "người có công": "", "đồng bào dân tộc thiểu số": "dân tộc thiểu số",
        "nông dân": "", "ngư dân": "", "người nước ngoài": "",
        "lái xe": "tài xế; người điều khiển phương tiện; người lái xe",
        "cán bộ, công chức": """công chức; viên chức; cán bộ, công chức, viên chức;
            cán bộ công chức""",
        "người nghỉ hưu": "hưu trí; người hưởng lương hưu", "người khuyết tật": "",
        "phụ nữ": "", "thanh niên": "",
    },
    "level": {
        "mầm non": "mẫu giáo", "tiểu học": "", "trung học cơ sở": "cấp hai",
        "trung học phổ thông": "cấp ba", "đại học": "", "cao đẳng": "",
    },
}

# Names holding one of the phrases above without meaning it ("Bộ Lao động - Thương binh và
# Xã hội" is not about workers): read word by word.
_PLAIN_NAMES = "Lao động - Thương binh và Xã hội; Bộ Lao động; Sở Lao động; Cục Hàng không"


# ---------------------------------------------------------------------------------------
# Reading text
# ---------------------------------------------------------------------------------------
# ---------------------------------------------------------------------------------------
# The lexicon, compiled
# ---------------------------------------------------------------------------------------
Syllable = tuple[str, str]  # (accented, folded)


@dataclass(frozen=True, slots=True)
class _Entry:
    replacement: tuple[Syllable, ...] | None = None
    weight: float | None = None
    intent: str | None = None
    entity: tuple[str, str] | None = None  # (kind, id)
    # Matched only with diacritics: it marks the thing for the disagreement check but adds
    # no weight, so that the same text typed without diacritics weighs the same.
    accent_only: bool = False


def _split(listing: str) -> list[str]:
    return [item.strip() for item in listing.split(";") if item.strip()]


def _syllables(phrase: str) -> tuple[Syllable, ...]:
    text = _prepare(expand_abbreviations(phrase)).casefold()
    return tuple(_syllable(w) for w in _WORD.findall(text))


class _Lexicon:
    """Phrases by their folded syllables (and, for "=" entries, their accented ones)."""

    def __init__(self) -> None:
        self.folded: dict[tuple[str, ...], _Entry] = {}
        self.accented: dict[tuple[str, ...], _Entry] = {}
        self.codes: dict[str, tuple[str, str]] = {}

    def add(self, phrase: str, **fields: object) -> None:
        exact = phrase.startswith("=")
        syllables = _syllables(phrase.lstrip("=+"))
        if not syllables:
            return
        table = self.accented if exact else self.folded
        key = tuple(s[0] if exact else s[1] for s in syllables)
        known = table.get(key, _Entry())
        merged = {name: getattr(known, name) for name in _Entry.__slots__}
        merged.update({k: v for k, v in fields.items() if v is not None})
        if exact:
            merged.update(accent_only=True, weight=None)
        table[key] = _Entry(**merged)  # type: ignore[arg-type]


def _build_lexicon() -> _Lexicon:
    lexicon = _Lexicon()
    for weight, listing in _SYLLABLE_WEIGHTS.items():
        for folded in _split(listing):
            known = lexicon.folded.get((folded,))
            if known is None or (known.weight or 1.0) > weight:
                lexicon.add(folded, weight=weight)
    for weight, listing in _PHRASE_WEIGHTS.items():
        for phrase in _split(listing):
            lexicon.add(phrase, weight=weight)
    for intent, listing in _INTENTS.items():
        for phrase in _split(listing):
            lexicon.add(phrase, intent=intent, weight=_LOW)
    for canonical, listing in _SYNONYMS.items():
        target = _syllables(canonical)
        for phrase in [canonical, *_split(listing)]:
            lexicon.add(phrase, replacement=target)
    for kind, names in _ENTITIES.items():
        for canonical, listing in names.items():
            target = _syllables(canonical)
            entity = (kind, " ".join(s[1] for s in target))
            for phrase in [canonical, *_split(listing)]:
                if any(ch.isdigit() for ch in phrase):
                    lexicon.codes[abbreviations.key(phrase.split()[-1])] = entity
                    continue
                own = {s[1] for s in _syllables(phrase.lstrip("=+"))}
                replace = not phrase.startswith("+") and own.isdisjoint(s[1] for s in target)
                lexicon.add(phrase, entity=entity, weight=1.0,
                            replacement=target if replace else None)
    for phrase in _split(_PLAIN_NAMES):
        lexicon.add(phrase, replacement=_syllables(phrase))
    return lexicon


_LEXICON = _build_lexicon()
_SINGLE_WEIGHT = {key[0]: entry.weight for key, entry in _LEXICON.folded.items()
                  if len(key) == 1 and entry.weight is not None}


# ---------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------
class _Token(NamedTuple):
    accented: str
    folded: str
    kind: str  # "w" word, "num", "year", "doc", "code"
    typed: bool  # written by the author (not an abbreviation's expansion)


# Clause breaks: punctuation, but not the "." or "," inside "TP.HCM" or "4,8".
_BREAK = re.compile(r"[;:?!()\[\]\"“”…\n]|[.,](?!\w)|(?<!\w)[.,]")
_DOCUMENT = re.compile(r"(\d+)(?:/(\d{4}))?/([^\W\d_][^\W_]*(?:-[^\W_]+)*)")
_NUMERIC = re.compile(r"\d+(?:[.,]\d+)*(?:[/\-]\d+(?:[.,]\d+)*)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_THOUSANDS_EN = re.compile(r"\d{1,3}(?:,\d{3})+")
# A chunk: letters and digits joined by & . / - (and a comma between digits: "2,34").
_CHUNK = re.compile(r"[^\W_]+(?:(?:[&./\-]|(?<=\d),(?=\d))[^\W_]+)*")
_PREFIXED_CODE = re.compile(r"([^\W\d_]+)[.\-]?(\d[^\W_]*)")
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_ROMAN_YEAR = re.compile(r"(I{1,3}|IV)/(\d{4})")
_DIGIT = re.compile(r"\d")
# "120.000 tỷ" and "120 nghìn tỷ" are the same amount.
_MAGNITUDES = {"nghin": 3, "ngan": 3, "trieu": 6, "ty": 9, "ti": 9}  # folded


def _scaled(value: str, exponent: int) -> str:
    scaled = (Decimal(value) * (Decimal(10) ** exponent)).normalize()
    return f"{scaled:f}"


def _number(part: str) -> tuple[str, str]:
    """(kind, value) of a number as written: "1.500" and "1500" are 1500, "12,50" is 12.5;
    a four-digit number from 1900 to 2100 written plainly is a year."""
    if _THOUSANDS.fullmatch(part) or _THOUSANDS_EN.fullmatch(part):
        return "num", part.replace(".", "").replace(",", "").lstrip("0") or "0"
    if "," in part:  # Vietnamese: "1.234,5"
        part = part.replace(".", "").replace(",", ".")
    whole, _, fraction = part.partition(".")
    whole = whole.lstrip("0") or "0"
    fraction = fraction.replace(".", "").rstrip("0")
    if fraction:
        return "num", f"{whole}.{fraction}"
    if len(whole) == 4 and 1900 <= int(whole) <= 2100:
        return "year", whole
    return "num", whole


@lru_cache(maxsize=100_000)
def _words(text: str, typed: bool = True) -> tuple[_Token, ...]:
    return tuple(_Token(accented, folded, "w", typed)
                 for accented, folded in map(_syllable, _WORD.findall(text.casefold())))


@lru_cache(maxsize=100_000)
def _plain(chunk: str) -> tuple[_Token, ...] | None:
    """The words of a chunk that is only words (no digit, joiner or abbreviation)."""
    if _DIGIT.search(chunk) or "-" in chunk or "&" in chunk or abbreviations.may_start(chunk):
        return None
    return _words(chunk)


def _numeric_tokens(chunk: str, previous: str) -> list[_Token]:
    """Tokens of a chunk holding digits: a document number, numbers and dates, or a code."""
    found = _DOCUMENT.fullmatch(chunk)
    if found:
        number, year, code = found.groups()
        number = number.lstrip("0") or "0"
        ident = f"{number}/{year or ''}/{abbreviations.key(code)}"
        out = [_Token(ident, ident, "doc", True), _Token(number, number, "num", True)]
        if year:
            out.append(_Token(year, year, "year", True))
        return out + list(_words(abbreviations.document_code(code), False))
    if _NUMERIC.fullmatch(chunk):
        return [_Token(value, value, kind, True)
                for kind, value in map(_number, re.split(r"[/\-]", chunk))]
    roman = _ROMAN_YEAR.fullmatch(chunk)
    if roman and previous == "quy":
        number = _ROMAN[roman.group(1).lower()]
        return [_Token(number, number, "num", True),
                _Token(roman.group(2), roman.group(2), "year", True)]
    out = []
    prefixed = _PREFIXED_CODE.fullmatch(chunk)
    if prefixed:
        hit = abbreviations.match([prefixed.group(1)], 0)
        if hit is not None:
            out = list(_words(hit[1], False))
            chunk = prefixed.group(2)
    ident = abbreviations.key(chunk)
    out.append(_Token(ident, ident, "code", True))
    return out + [t for t in _words(chunk) if len(t.folded) >= 3]


def _clause_tokens(chunks: list[str], out: list[_Token]) -> None:
    """Append the tokens of one clause's chunks to ``out``."""
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        plain = _plain(chunk)
        if plain is not None:
            out += plain
            i += 1
            continue
        if _DIGIT.search(chunk):
            numbers = _numeric_tokens(chunk, out[-1].folded if out and i else "")
            magnitudes: list[_Token] = []
            i += 1
            while i < len(chunks) and _syllable(chunks[i].lower())[1] in _MAGNITUDES:
                magnitudes += _words(chunks[i])
                i += 1
            exponent = sum(_MAGNITUDES[t.folded] for t in magnitudes)
            for number in numbers:
                if exponent and number.kind in ("num", "year"):
                    value = _scaled(number.folded, exponent)
                    number = _Token(value, value, "num", True)
                out.append(number)
            out += magnitudes
            continue
        hit = abbreviations.match(chunks, i)
        if hit is not None:
            out += _words(hit[1], False)
            i += hit[0]
            continue
        if out and i and out[-1].folded == "quy" and chunk.isupper() and chunk.lower() in _ROMAN:
            roman = _ROMAN[chunk.lower()]
            out.append(_Token(roman, roman, "num", True))
        elif "-" in chunk or "&" in chunk:
            # "NĐ-CP", "Covid-Vaccine": the parts one by one.
            parts = re.split(r"[&\-]", chunk)
            for j, part in enumerate(parts):
                part_hit = abbreviations.match(parts, j)
                if part_hit is not None and part_hit[0] == 1:
                    out += _words(part_hit[1], False)
                else:
                    out += _words(part)
        else:
            out += _words(chunk)
        i += 1


def _tokens(text: str) -> tuple[list[_Token], set[int]]:
    """The text's words, numbers and codes in order, abbreviations expanded, and the
    positions where a clause starts."""
    out: list[_Token] = []
    starts: set[int] = set()
    for clause in _BREAK.split(_prepare(text)):
        chunks = _CHUNK.findall(clause)
        if chunks:
            starts.add(len(out))
            _clause_tokens(chunks, out)
    return out, starts


# ---------------------------------------------------------------------------------------
# Profiles and scores
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Profile:
    """What the scorer needs of one question, computed once (``profile(text)``).

    ``unigrams`` and ``bigrams`` map folded terms to weights; entity terms start with "#"
    ("#year:2024", "#place:ha noi"). ``accents`` holds, for each folded word, its accented
    spelling in this text (several separated by spaces), used only when both texts of a
    pair carry diacritics. Profiles are shared (``profile`` caches them): read them only."""

    unigrams: dict[str, float]
    bigrams: dict[str, float]
    accents: dict[str, str]
    entities: dict[str, frozenset[str]]
    intents: frozenset[str]
    accented: bool
    unigram_total: float
    bigram_total: float


def _has_diacritics(tokens: list[_Token]) -> bool:
    typed = [t for t in tokens if t.kind == "w" and t.typed]
    if not typed:
        return False
    marked = sum(1 for t in typed if t.accented != t.folded)
    return marked >= 0.25 * len(typed)


def _trie(table: dict[tuple[str, ...], _Entry]) -> dict[str, Any]:
    """The phrases as nested dicts, one level a syllable; "" holds a phrase's entry. A
    single syllable that only has a weight is left to ``_SINGLE_WEIGHT``."""
    root: dict[str, Any] = {}
    for key, entry in table.items():
        if len(key) == 1 and entry == _Entry(weight=entry.weight):
            continue
        node = root
        for syllable in key:
            node = node.setdefault(syllable, {})
        node[""] = entry
    return root


_FOLDED_TRIE = _trie(_LEXICON.folded)
_ACCENTED_TRIE = _trie(_LEXICON.accented)


def _lexicon_match(tokens: list[_Token], starts: set[int], i: int) -> tuple[int, _Entry] | None:
    """The longest phrase of the lexicon starting at ``tokens[i]`` (within one clause), an
    accented match before a folded one of the same length."""
    best: tuple[int, _Entry] | None = None
    for trie, by_accent in ((_ACCENTED_TRIE, True), (_FOLDED_TRIE, False)):
        node = trie
        j = i
        while j < len(tokens) and (j == i or j not in starts):
            token = tokens[j]
            if token.kind != "w":
                break
            node = node.get(token.accented if by_accent else token.folded)  # type: ignore
            if node is None:
                break
            j += 1
            if "" in node and (best is None or j - i > best[0]):
                best = (j - i, node[""])
    return best


@lru_cache(maxsize=4096)
def profile(text: str) -> Profile:
    """Read a question ("title\\nbody", read as one text) once for any number of
    comparisons; the last few thousand are cached."""
    tokens, starts = _tokens(text)
    unigrams: dict[str, float] = {}
    entities: dict[str, set[str]] = {}
    intents: set[str] = set()
    # (term, weight, accented spelling, clause start) in reading order.
    sequence: list[tuple[str, float, str, bool]] = []

    def mark(kind: str, ident: str) -> str:
        entities.setdefault(kind, set()).add(ident)
        term = f"#{kind}:{ident}"
        unigrams[term] = max(unigrams.get(term, 0.0), _ENTITY_WEIGHT[kind])
        return term

    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind != "w":
            kind, ident = token.kind, token.folded
            if kind == "code" and ident in _LEXICON.codes:
                kind, ident = _LEXICON.codes[ident]
            sequence.append((mark(kind, ident), _ENTITY_WEIGHT[kind], "", i in starts))
            i += 1
            continue
        found = None
        if token.folded in _FOLDED_TRIE or token.accented in _ACCENTED_TRIE:
            found = _lexicon_match(tokens, starts, i)
        if found is None:
            folded = token.folded
            weight = _SINGLE_WEIGHT.get(folded, 1.0 if len(folded) > 1 else _LOW)
            sequence.append((folded, weight, token.accented, i in starts))
            i += 1
            continue
        length, entry = found
        syllables = entry.replacement or tuple((t.accented, t.folded)
                                               for t in tokens[i:i + length])
        for n, (spelling, folded) in enumerate(syllables):
            if entry.weight is not None:
                weight = entry.weight
            else:
                weight = _SINGLE_WEIGHT.get(folded, 1.0 if len(folded) > 1 else _LOW)
                if len(syllables) > 1:
                    weight = max(weight, _GENERIC)
            sequence.append((folded, weight, spelling, n == 0 and i in starts))
        if entry.entity is not None:
            if entry.accent_only:
                entities.setdefault(entry.entity[0], set()).add(entry.entity[1])
            else:
                mark(*entry.entity)
        if entry.intent is not None:
            intents.add(entry.intent)
        i += length

    accents: dict[str, str] = {}
    accented = _has_diacritics(tokens)
    bigrams: dict[str, float] = {}
    previous: tuple[str, float] | None = None
    for term, weight, spelling, clause_start in sequence:
        if weight > unigrams.get(term, 0.0):
            unigrams[term] = weight
        if accented and spelling:
            known = accents.get(term)
            if known is None:
                accents[term] = spelling
            elif spelling != known and spelling not in known.split():
                accents[term] = f"{known} {spelling}"
        if clause_start:
            previous = None
        if weight < _BIGRAM_MIN:
            continue  # grammar words do not separate the words around them
        if previous is not None and (weight >= 0.3 or previous[1] >= 0.3):
            pair = f"{previous[0]} {term}"
            pair_weight = (weight + previous[1]) / 2
            if pair_weight > bigrams.get(pair, 0.0):
                bigrams[pair] = pair_weight
        previous = (term, weight)
    return Profile(
        unigrams=unigrams,
        bigrams=bigrams,
        accents=accents,
        entities={kind: frozenset(idents) for kind, idents in entities.items()},
        intents=frozenset(intents),
        accented=accented,
        unigram_total=sum(unigrams.values()),
        bigram_total=sum(bigrams.values()),
    )


def _overlap(x: dict[str, float], y: dict[str, float], total_x: float,
             total_y: float) -> float:
    """Weighted overlap of two term sets: a mix of Dice (both texts' shared weight) and
    containment (the larger share of either text found in the other)."""
    if total_x <= 0 or total_y <= 0:
        return 0.0
    if len(x) > len(y):
        x, y, total_x, total_y = y, x, total_y, total_x
    shared_x = shared_y = 0.0
    for term, weight in x.items():
        other = y.get(term)
        if other is not None:
            shared_x += weight
            shared_y += other
    dice = (shared_x + shared_y) / (total_x + total_y)
    containment = max(shared_x / total_x, shared_y / total_y)
    return _DICE_SHARE * dice + (1 - _DICE_SHARE) * containment


def _accent_disagreement(a: Profile, b: Profile) -> float:
    """The share of the shared words' weight that the two texts spell with different
    diacritics."""
    shared = differing = 0.0
    for term, spellings in a.accents.items():
        other = b.accents.get(term)
        if other is None:
            continue
        weight = (a.unigrams[term] + b.unigrams[term]) / 2
        shared += weight
        if spellings != other and (
                (" " not in spellings and " " not in other)
                or set(spellings.split()).isdisjoint(other.split())):
            differing += weight
    return differing / shared if shared else 0.0


def score_profiles(a: Profile, b: Profile) -> float:
    """How alike two questions are, from 0 (nothing shared) to 1 (the same question);
    ``>= THRESHOLD`` is a duplicate."""
    if (a.unigram_total, a.bigram_total) > (b.unigram_total, b.bigram_total):
        a, b = b, a  # the same sums in the same order, whichever way round: symmetric
    base = (_UNIGRAM_SHARE * _overlap(a.unigrams, b.unigrams, a.unigram_total, b.unigram_total)
            + (1 - _UNIGRAM_SHARE) * _overlap(a.bigrams, b.bigrams, a.bigram_total,
                                                b.bigram_total))
    if base <= 0:
        return 0.0
    factor = 1.0
    if a.accented and b.accented:
        factor *= 1 - _ACCENT_MISMATCH * _accent_disagreement(a, b)
    for kind, mine in a.entities.items():
        theirs = b.entities.get(kind)
        if theirs is None:
            continue
        shared = len(mine & theirs)
        # Half "is the smaller set inside the larger", half Jaccard: one more year or place
        # mentioned in passing costs a little, another one instead costs the full price.
        cover = (shared / min(len(mine), len(theirs))
                 + shared / (len(mine) + len(theirs) - shared)) / 2
        factor *= 1 - _MISMATCH[kind] * (1 - cover)
    if a.intents and b.intents and a.intents.isdisjoint(b.intents):
        factor *= 1 - _INTENT_MISMATCH
    return min(1.0, max(0.0, base * factor))


def score(a: str, b: str) -> float:
    """``score_profiles`` of two texts ("title\\nbody" each)."""
    return score_profiles(profile(a), profile(b))


def terms(text: str) -> set[str]:
    """The distinctive folded terms of a text, for an inverted index of stored questions:
    its words without diacritics (abbreviations expanded, boilerplate and grammar words left
    out) and its numbers, years, document numbers and named things ("#year:2024"). A
    duplicate shares at least one term with its original, however each was typed."""
    return {term for term, weight in profile(text).unigrams.items() if weight >= _TERM_MIN}

