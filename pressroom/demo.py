"""A realistic Vietnamese demo data set, built only through the domain services.

``load_demo`` fills an empty database with the Government Office, three ministries and
their units, spokespersons, press agencies and journalists, press conferences in every
status (one with a published transcript) and questions and answers in every state.
It flushes and never commits: the caller (``pressroom demo``) commits once.

People: Trần Văn Sơn, Nguyễn Thanh Lâm, Nguyễn Huy Dũng, Nguyễn Hồng Sâm and Lê Hải Yến
appear with the titles they hold in the seed articles (/work/shared/seeds), and the
transcript adapts what they said there. Everyone else is invented, and every e-mail
address and telephone number is fictitious (``.example`` domains, ``0000`` numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal, NamedTuple

from sqlmodel import Session, col, select

from pressroom.accounts import service as accounts
from pressroom.accounts.enums import Role
from pressroom.accounts.models import Outlet, User
from pressroom.answers import service as answers
from pressroom.answers.schemas import AnswerCorrection, AnswerDraft, AnswerPublish, AnswerReturn
from pressroom.conferences import service as conferences
from pressroom.conferences.models import PressConference
from pressroom.conferences.schemas import (
    ConferenceAnnounce,
    ConferenceCancel,
    ConferenceCreate,
    ConferencePostpone,
    TranscriptIn,
    TurnIn,
)
from pressroom.core.clock import now
from pressroom.core.config import get_settings
from pressroom.core.i18n import local_zone
from pressroom.core.workdays import add_working_days, is_working_day
from pressroom.organizations import service as organizations
from pressroom.organizations.enums import OrgKind
from pressroom.organizations.models import Organization
from pressroom.questions import service as questions
from pressroom.questions.enums import DeclineGround
from pressroom.questions.models import Question
from pressroom.questions.schemas import (
    DueExtension,
    HoldingReply,
    QuestionAssign,
    QuestionCreate,
    QuestionMerge,
    QuestionReject,
)

DEMO_PASSWORD = "pressroom-demo"

DEMO_PORTAL = {
    "portal_name": "Cổng Thông tin Họp báo Chính phủ",
    "agency_name": "Văn phòng Chính phủ",
    "agency_address": "Số 1 Hoàng Hoa Thám, Ba Đình, Hà Nội",
    "agency_phone": "024 0000 0800",
    "agency_email": "banbientap@chinhphu.example",
    "responsible_person": "Trần Quang Minh, Trưởng Ban Biên tập",
}
"""The portal's identity in the demo (settings of core/config.py; ``pressroom demo`` uses
them unless the environment sets its own). The person is invented; the contacts fictitious."""


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    password: str
    full_name: str


# ---------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------


class OrgSpec(NamedTuple):
    key: str
    name: str
    short_name: str
    kind: OrgKind
    parent: str | None = None


ORGANIZATIONS: tuple[OrgSpec, ...] = (
    OrgSpec("vpcp", "Văn phòng Chính phủ", "VPCP", OrgKind.GOVERNMENT_OFFICE),
    OrgSpec("vpcp.cong", "Cổng Thông tin điện tử Chính phủ", "Cổng TTĐT Chính phủ",
            OrgKind.UNIT, "vpcp"),
    OrgSpec("vpcp.vth", "Vụ Tổng hợp", "Vụ TH - VPCP", OrgKind.UNIT, "vpcp"),
    OrgSpec("tttt", "Bộ Thông tin và Truyền thông", "Bộ TTTT", OrgKind.MINISTRY),
    OrgSpec("tttt.ttt", "Trung tâm Thông tin", "TTTT - Bộ TTTT", OrgKind.UNIT, "tttt"),
    OrgSpec("tttt.cbc", "Cục Báo chí", "Cục BC", OrgKind.UNIT, "tttt"),
    OrgSpec("tttt.ptth", "Cục Phát thanh, truyền hình và thông tin điện tử",
            "Cục PTTH&TTĐT", OrgKind.UNIT, "tttt"),
    OrgSpec("gddt", "Bộ Giáo dục và Đào tạo", "Bộ GD&ĐT", OrgKind.MINISTRY),
    OrgSpec("gddt.vp", "Văn phòng Bộ", "VP Bộ GD&ĐT", OrgKind.UNIT, "gddt"),
    OrgSpec("gddt.gdth", "Vụ Giáo dục Trung học", "Vụ GDTrH", OrgKind.UNIT, "gddt"),
    OrgSpec("gddt.qlcl", "Cục Quản lý chất lượng", "Cục QLCL", OrgKind.UNIT, "gddt"),
    OrgSpec("gtvt", "Bộ Giao thông vận tải", "Bộ GTVT", OrgKind.MINISTRY),
    OrgSpec("gtvt.vp", "Văn phòng Bộ", "VP Bộ GTVT", OrgKind.UNIT, "gtvt"),
    OrgSpec("gtvt.kcht", "Vụ Kết cấu hạ tầng giao thông", "Vụ KCHT", OrgKind.UNIT, "gtvt"),
    OrgSpec("gtvt.cdb", "Cục Đường bộ Việt Nam", "Cục ĐBVN", OrgKind.UNIT, "gtvt"),
)

# Press agencies (cơ quan báo chí) and their public websites.
OUTLETS: tuple[tuple[str, str], ...] = (
    ("Báo Nhân Dân", "https://nhandan.vn"),
    ("Báo điện tử VnExpress", "https://vnexpress.net"),
    ("Báo Tuổi Trẻ", "https://tuoitre.vn"),
    ("Đài Truyền hình Việt Nam (VTV)", "https://vtv.vn"),
    ("Thông tấn xã Việt Nam (TTXVN)", "https://vnanet.vn"),
)


class JournalistSpec(NamedTuple):
    key: str
    full_name: str
    email: str
    outlet: str
    press_card: str
    role_label: str  # how the transcript introduces them


JOURNALISTS: tuple[JournalistSpec, ...] = (
    JournalistSpec("ha", "Đặng Thu Hà", "thuha.dang@nhandan.example", "Báo Nhân Dân",
                   "NDA-01482", "Phóng viên Báo Nhân Dân"),
    JournalistSpec("minh", "Phạm Quang Minh", "minh.pq@vnexpress.example",
                   "Báo điện tử VnExpress", "VNE-00917", "Phóng viên Báo điện tử VnExpress"),
    JournalistSpec("anh", "Trần Ngọc Ánh", "ngocanh@tuoitre.example", "Báo Tuổi Trẻ",
                   "TTR-02356", "Phóng viên Báo Tuổi Trẻ"),
    JournalistSpec("thang", "Vũ Đức Thắng", "thang.vd@vtv.example",
                   "Đài Truyền hình Việt Nam (VTV)", "VTV-03114",
                   "Phóng viên Đài Truyền hình Việt Nam"),
    JournalistSpec("phuong", "Hoàng Mai Phương", "maiphuong@ttxvn.example",
                   "Thông tấn xã Việt Nam (TTXVN)", "TTX-01208",
                   "Phóng viên Thông tấn xã Việt Nam"),
)


class StaffSpec(NamedTuple):
    key: str
    full_name: str
    email: str
    role: Role
    organization: str | None  # membership; None for the administrator


STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("trang", "Hoàng Thị Thu Trang", "trang.htt@mic.example", Role.UNIT_OFFICER,
              "tttt.ttt"),
    StaffSpec("khai", "Đỗ Văn Khải", "khai.dv@mic.example", Role.UNIT_OFFICER, "tttt.cbc"),
    StaffSpec("lam", "Nguyễn Thanh Lâm", "lam.nt@mic.example", Role.SPOKESPERSON, "tttt"),
    StaffSpec("son", "Trần Văn Sơn", "son.tv@chinhphu.example", Role.SPOKESPERSON, "vpcp"),
    StaffSpec("quang", "Phạm Minh Quang", "quang.pm@chinhphu.example", Role.UNIT_OFFICER,
              "vpcp.cong"),
    StaffSpec("admin", "Ngô Quang Huy", "quantri@pressroom.example", Role.ADMIN, None),
)


class SpokespersonSpec(NamedTuple):
    organization: str
    full_name: str
    title: str
    phone: str
    email: str
    login: str | None = None  # a StaffSpec key
    is_deputy: bool = False


SPOKESPERSONS: tuple[SpokespersonSpec, ...] = (
    SpokespersonSpec("vpcp", "Trần Văn Sơn",
                     "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ, Người phát ngôn của Chính phủ",
                     "024 0000 0801", "nguoiphatngon@chinhphu.example", login="son"),
    SpokespersonSpec("tttt", "Nguyễn Thanh Lâm",
                     "Thứ trưởng Bộ Thông tin và Truyền thông, Người phát ngôn của Bộ",
                     "024 0000 1101", "nguoiphatngon@mic.example", login="lam"),
    SpokespersonSpec("tttt", "Phan Thị Thu Hằng",
                     "Chánh Văn phòng Bộ Thông tin và Truyền thông, Người được giao phát ngôn",
                     "024 0000 1102", "vanphong@mic.example", is_deputy=True),
    SpokespersonSpec("gddt", "Trịnh Văn Khôi",
                     "Chánh Văn phòng Bộ Giáo dục và Đào tạo, Người phát ngôn của Bộ",
                     "024 0000 2201", "nguoiphatngon@moet.example"),
    SpokespersonSpec("gtvt", "Tạ Minh Đức",
                     "Chánh Văn phòng Bộ Giao thông vận tải, Người phát ngôn của Bộ",
                     "024 0000 3301", "nguoiphatngon@mt.example"),
)

Fate = Literal["transcript_published", "transcript_draft", "held", "live", "announced",
               "postponed", "draft", "cancelled"]
PAST: tuple[Fate, ...] = ("held", "transcript_draft", "transcript_published")


class ConferenceSpec(NamedTuple):
    key: str
    host: str
    manager: str  # the spokesperson login that schedules it
    title: str  # may use {month} and {year} of the conference day
    description: str
    venue: str
    livestream_url: str
    participants: tuple[str, ...]
    day_offset: int  # days from today, moved away from today onto a working day
    start: time
    minutes: int
    fate: Fate


VENUE_TTTT = "Trụ sở Bộ Thông tin và Truyền thông, 18 Nguyễn Du, Hai Bà Trưng, Hà Nội"
VENUE_VPCP = "Trụ sở Chính phủ, 1 Hoàng Hoa Thám, Ba Đình, Hà Nội"

CONFERENCES: tuple[ConferenceSpec, ...] = (
    ConferenceSpec(
        "nd42", "tttt", "lam",
        "Họp báo chuyên đề: triển khai Nghị định 42/2022/NĐ-CP về cung cấp thông tin và "
        "dịch vụ công trực tuyến trên môi trường mạng",
        "Bộ Thông tin và Truyền thông thông tin về kết quả triển khai Nghị định 42/2022/NĐ-CP "
        "của Chính phủ quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ "
        "quan nhà nước trên môi trường mạng; Dự thảo Thông tư quy định chức năng, tính năng kỹ "
        "thuật của Cổng Thông tin điện tử, Trang Thông tin điện tử của các cơ quan nhà nước; "
        "công tác phản hồi thông tin sai sự thật trên mạng xã hội.\n\n"
        "Chủ trì: Thứ trưởng Nguyễn Thanh Lâm, Người phát ngôn của Bộ Thông tin và Truyền "
        "thông. Thành phần tham dự: Thứ trưởng Nguyễn Huy Dũng; ông Nguyễn Hồng Sâm, Tổng Giám "
        "đốc Cổng Thông tin điện tử Chính phủ; lãnh đạo Cục Báo chí, Cục Phát thanh, truyền "
        "hình và thông tin điện tử, Trung tâm Thông tin.",
        VENUE_TTTT, "https://mic.example/truc-tuyen/hop-bao-nghi-dinh-42", ("vpcp",),
        -12, time(15, 0), 90, "transcript_published",
    ),
    ConferenceSpec(
        "monthly", "tttt", "lam",
        "Họp báo định kỳ tháng {month}/{year} của Bộ Thông tin và Truyền thông",
        "Lãnh đạo Bộ Thông tin và Truyền thông thông tin về tình hình hoạt động của ngành trong "
        "tháng: chuyển đổi số quốc gia, quản lý các nền tảng xuyên biên giới, công tác cấp thẻ "
        "nhà báo; đại diện Bộ Giáo dục và Đào tạo thông tin về chuyển đổi số trong giáo dục.\n\n"
        "Các cơ quan báo chí đăng ký tham dự và gửi câu hỏi trước qua Pressroom; câu hỏi chưa "
        "được trả lời trực tiếp tại họp báo sẽ được trả lời bằng văn bản.",
        VENUE_TTTT, "https://mic.example/truc-tuyen/hop-bao-dinh-ky", ("gddt",),
        10, time(15, 0), 90, "announced",
    ),
    ConferenceSpec(
        "whitebook", "tttt", "lam",
        "Họp báo công bố Sách trắng Công nghệ thông tin và Truyền thông Việt Nam",
        "Công bố Sách trắng Công nghệ thông tin và Truyền thông Việt Nam với các số liệu thống "
        "kê chính thức của ngành. Nội dung đang được Văn phòng Bộ hoàn thiện, chưa công bố.",
        VENUE_TTTT, "", (), 24, time(9, 30), 90, "draft",
    ),
    ConferenceSpec(
        "award", "tttt", "lam",
        "Họp báo phát động Giải thưởng Chuyển đổi số Việt Nam năm {year}",
        "Bộ Thông tin và Truyền thông thông tin về thể lệ, tiêu chí và thời hạn nhận hồ sơ của "
        "Giải thưởng Chuyển đổi số Việt Nam; các hạng mục dành cho cơ quan nhà nước, doanh "
        "nghiệp và cơ quan báo chí.",
        VENUE_TTTT, "", (), 8, time(14, 30), 90, "postponed",
    ),
    ConferenceSpec(
        "social", "tttt", "lam",
        "Họp báo chuyên đề về quản lý thông tin trên mạng xã hội",
        "Họp báo được hủy do thay đổi lịch công tác của Lãnh đạo Bộ; nội dung sẽ được thông tin "
        "tại họp báo định kỳ của Bộ.",
        VENUE_TTTT, "", (), 5, time(9, 0), 60, "cancelled",
    ),
    ConferenceSpec(
        "government", "vpcp", "son",
        "Họp báo Chính phủ thường kỳ tháng {month}/{year}",
        "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ, Người phát ngôn của Chính phủ Trần Văn Sơn "
        "chủ trì họp báo, thông tin về kết quả phiên họp Chính phủ thường kỳ; đại diện lãnh đạo "
        "các Bộ, ngành trả lời câu hỏi của phóng viên về những vấn đề dư luận quan tâm.",
        VENUE_VPCP, "https://chinhphu.example/truc-tuyen/hop-bao-chinh-phu",
        ("tttt", "gddt", "gtvt"), -2, time(16, 0), 120, "held",
    ),
    # Its transcript is being entered: a first draft is saved, not yet published.
    ConferenceSpec(
        "portals", "vpcp", "son",
        "Họp báo thông tin kết quả Hội nghị trao đổi kinh nghiệm hoạt động Cổng Thông tin điện "
        "tử các Bộ, ngành",
        "Văn phòng Chính phủ và Bộ Thông tin và Truyền thông thông tin về kết quả Hội nghị trao "
        "đổi kinh nghiệm hoạt động Cổng Thông tin điện tử các Bộ, ngành và các kiến nghị, đề "
        "xuất tạo điều kiện tốt nhất cho hoạt động của các Cổng TTĐT.",
        VENUE_VPCP, "", ("tttt",), -6, time(15, 30), 60, "transcript_draft",
    ),
    # Live now: it began 20 minutes before the demo was loaded (day and time are ignored).
    ConferenceSpec(
        "investment", "vpcp", "son",
        "Họp báo chuyên đề về giải ngân vốn đầu tư công năm {year}",
        "Văn phòng Chính phủ phối hợp với Bộ Giao thông vận tải thông tin về tiến độ giải ngân "
        "vốn đầu tư công, các dự án giao thông trọng điểm và giải pháp tháo gỡ vướng mắc về "
        "giải phóng mặt bằng.",
        VENUE_VPCP, "https://chinhphu.example/truc-tuyen/hop-bao-chuyen-de", ("gtvt",),
        0, time(10, 0), 90, "live",
    ),
)

Stage = Literal[
    "submitted", "accepted", "rejected", "assigned", "draft", "awaiting_approval",
    "returned", "approved", "published", "scheduled", "merged", "withdrawn",
]


class QuestionSpec(NamedTuple):
    key: str
    asker: str
    conference: str | None  # None: a written question
    addressed_to: str
    title: str
    body: str
    stage: Stage
    asked_days_ago: int = 1  # before the conference for conference questions
    unit: str | None = None
    assign_note: str = ""
    due_in: int | None = None  # working days; None: the configured default
    answer: str = ""
    review_comment: str = ""
    rejection_reason: str = ""
    merge_into: str | None = None  # the key of the question it is merged into
    holding: str = ""  # a holding reply to the journalist (the answer by the due date)
    extension: str = ""  # the reason of an extension by five working days
    # A correction after publication: (what the published answer said, what it says instead)
    # and why.
    correction: tuple[str, str] = ("", "")
    correction_reason: str = ""


QUESTIONS: tuple[QuestionSpec, ...] = (
    QuestionSpec(
        "nd42.portals", "ha", "nd42", "tttt",
        "Lộ trình để Cổng TTĐT các Bộ, ngành, địa phương đáp ứng Nghị định 42/2022/NĐ-CP",
        "Nghị định 42/2022/NĐ-CP đã xác định lộ trình để Cổng Thông tin điện tử của các Bộ, "
        "ngành, địa phương đáp ứng yêu cầu về cung cấp thông tin và dịch vụ công trực tuyến. "
        "Xin Bộ Thông tin và Truyền thông cho biết đến nay việc triển khai đã đạt được những "
        "kết quả gì; những cơ quan chậm triển khai sẽ được hướng dẫn, đôn đốc như thế nào; và "
        "khi nào Thông tư quy định chức năng, tính năng kỹ thuật của Cổng TTĐT, Trang TTĐT của "
        "các cơ quan nhà nước được ban hành?",
        "published", asked_days_ago=2, unit="tttt.ttt",
        assign_note="Đề nghị Trung tâm Thông tin chủ trì chuẩn bị văn bản trả lời, bổ sung số "
        "liệu sau họp báo.",
        answer="Trả lời câu hỏi của phóng viên Báo Nhân Dân, Bộ Thông tin và Truyền thông "
        "thông tin như sau:\n\n"
        "Trong các phương thức truyền thông hiện nay, Cổng Thông tin điện tử là một phương thức "
        "mới, còn nhiều dư địa phát triển, gắn với nhu cầu thiết yếu của người dân và doanh "
        "nghiệp. Thực hiện Nghị định 42/2022/NĐ-CP, Bộ đã hướng dẫn các Bộ, ngành, địa phương "
        "rà soát chức năng của Cổng TTĐT, Trang TTĐT theo lộ trình quy định; kết nối với Cổng "
        "Thông tin điện tử Chính phủ để thống nhất nguồn thông tin chính thống về chỉ đạo, điều "
        "hành.\n\n"
        "Bộ đang hoàn thiện Dự thảo Thông tư quy định chức năng, tính năng kỹ thuật của các Cổng "
        "TTĐT, Trang TTĐT của các cơ quan nhà nước trên cơ sở ý kiến đóng góp của các Bộ, "
        "ngành, địa phương. Đối với các cơ quan chậm triển khai, Bộ sẽ phối hợp với Văn phòng "
        "Chính phủ đôn đốc, hướng dẫn nghiệp vụ, đồng thời tổ chức tập huấn để nâng cao năng "
        "lực của đội ngũ cán bộ quản lý, vận hành Cổng TTĐT.",
    ),
    QuestionSpec(
        "nd42.fake", "minh", "nd42", "tttt",
        "Xử lý tin giả, thông tin sai sự thật về hoạt động của cơ quan nhà nước trên mạng xã "
        "hội",
        "Thời gian gần đây xuất hiện nhiều trang, tài khoản mạng xã hội mạo danh cơ quan nhà "
        "nước, đăng tải thông tin sai sự thật về chính sách, gây hoang mang dư luận. Xin Bộ cho "
        "biết cơ chế phối hợp giữa Bộ với các nền tảng mạng xã hội xuyên biên giới trong việc "
        "gỡ bỏ tin giả hiện nay ra sao; thời gian xử lý trung bình một yêu cầu gỡ bỏ là bao "
        "lâu; và người dân cần làm gì khi phát hiện thông tin sai sự thật?",
        "assigned", asked_days_ago=1, unit="tttt.ptth", due_in=10,
        assign_note="Cục PTTH&TTĐT trả lời bằng văn bản, nêu rõ số liệu gỡ bỏ tin giả trong "
        "năm.",
        holding="Câu hỏi cần số liệu phối hợp với các nền tảng mạng xã hội xuyên biên giới. "
        "Cục Phát thanh, truyền hình và thông tin điện tử đang tổng hợp và sẽ trả lời bằng văn "
        "bản trong thời hạn nêu trên.",
    ),
    QuestionSpec(
        "nd42.cards", "anh", "nd42", "tttt",
        "Thủ tục cấp, đổi thẻ nhà báo cho phóng viên các cơ quan báo chí điện tử",
        "Nhiều phóng viên làm việc tại các cơ quan báo chí điện tử phản ánh thủ tục đề nghị cấp "
        "thẻ nhà báo vẫn phải nộp nhiều giấy tờ bản giấy. Xin Bộ cho biết việc tiếp nhận hồ sơ "
        "cấp, đổi thẻ nhà báo qua dịch vụ công trực tuyến đã được triển khai đến đâu, và thời "
        "gian giải quyết hồ sơ có được rút ngắn không?",
        "awaiting_approval", asked_days_ago=1, unit="tttt.cbc", due_in=3,
        answer="Thủ tục cấp, đổi thẻ nhà báo đã được cung cấp dưới hình thức dịch vụ công trực "
        "tuyến. Cơ quan báo chí lập danh sách đề nghị, kê khai hồ sơ của phóng viên trên hệ "
        "thống; Cục Báo chí tiếp nhận, thẩm định và thông báo kết quả trực tuyến cho cơ quan "
        "báo chí.\n\n"
        "Thời gian tới, Cục Báo chí tiếp tục rà soát để cắt giảm thành phần hồ sơ bản giấy, "
        "tiến tới thực hiện toàn trình trên môi trường mạng, bảo đảm thẻ nhà báo được cấp đúng "
        "đối tượng, đúng thời hạn theo quy định của Luật Báo chí.",
    ),
    QuestionSpec(
        "written.training", "minh", None, "tttt",
        "Kết quả tập huấn nghiệp vụ công tác thông tin, tuyên truyền cho các Sở TTTT",
        "Bộ Thông tin và Truyền thông vừa tổ chức Hội nghị tập huấn nghiệp vụ công tác thông "
        "tin, tuyên truyền theo hình thức trực tiếp và trực tuyến với sự tham gia của 63 Sở "
        "TTTT. Xin Bộ cho biết nội dung chính của đợt tập huấn, và việc tập huấn sẽ giúp các Sở "
        "xử lý khủng hoảng truyền thông, phản hồi thông tin sai sự thật như thế nào?",
        "published", asked_days_ago=9, unit="tttt.ttt",
        answer="Hội nghị tập huấn được tổ chức theo hình thức trực tiếp và trực tuyến, với sự "
        "tham dự của các thành viên Ban Biên tập Cổng Thông tin điện tử Bộ, cán bộ làm công tác "
        "thông tin, truyền thông của các cơ quan, đơn vị thuộc Bộ và của 63 Sở TTTT trên cả "
        "nước. Tại điểm cầu Sở TTTT Lạng Sơn, dự Hội nghị có bà Lê Hải Yến, Phó Giám đốc Sở, "
        "cùng đại diện Phòng Thông tin – Báo chí – Xuất bản, Phòng Chuyển đổi số.\n\n"
        "Các đại biểu được nghe 03 chuyên đề: Kỹ năng cung cấp thông tin phục vụ công tác thông "
        "tin, tuyên truyền và xử lý khủng hoảng truyền thông; Truyền thông, tuyên truyền nâng "
        "cao nhận thức về chuyển đổi số; Kỹ năng viết tin bài, thông cáo báo chí, ảnh, video "
        "mang tính tương tác trên môi trường điện tử.\n\n"
        "Thứ trưởng Nguyễn Huy Dũng đề nghị khi phát hiện thông tin không chính xác hoặc sai sự "
        "thật về hoạt động của Bộ, của ngành, lĩnh vực được phân công, các đơn vị phải thực "
        "hiện ngay việc phản hồi, cung cấp thông tin chính thống để phản bác trên Cổng TTĐT của "
        "Bộ, Trang TTĐT của đơn vị và trên báo chí, đồng thời phối hợp với các cơ quan liên "
        "quan để xử lý kịp thời.",
        correction=("Các đại biểu được nghe 03 chuyên đề: Kỹ năng cung cấp thông tin",
                    "Các đại biểu được nghe 04 chuyên đề: Kỹ năng phát ngôn và cung cấp thông "
                    "tin cho báo chí; Kỹ năng cung cấp thông tin"),
        correction_reason="Bổ sung chuyên đề “Kỹ năng phát ngôn và cung cấp thông tin cho báo "
        "chí” của Hội nghị, bị thiếu trong bản đăng lần đầu.",
    ),
    QuestionSpec(
        "written.renewal", "phuong", None, "tttt",
        "Giá trị của thẻ nhà báo khi cơ quan báo chí sắp xếp, đổi tên",
        "Thực hiện Quy hoạch phát triển và quản lý báo chí toàn quốc, một số cơ quan báo chí đã "
        "sáp nhập hoặc đổi tên. Xin Bộ cho biết thẻ nhà báo của phóng viên các cơ quan này có "
        "còn giá trị sử dụng không, và thủ tục đổi thẻ được thực hiện như thế nào để không làm "
        "gián đoạn hoạt động tác nghiệp?",
        "published", asked_days_ago=8, unit="tttt.cbc",
        answer="Thẻ nhà báo đã cấp cho phóng viên của cơ quan báo chí thực hiện sắp xếp tiếp "
        "tục được sử dụng trong thời gian cơ quan báo chí mới làm thủ tục đề nghị đổi thẻ. Cơ "
        "quan báo chí sau sắp xếp lập danh sách đề nghị đổi thẻ, kê khai trực tuyến và gửi Cục "
        "Báo chí; Cục Báo chí ưu tiên giải quyết các hồ sơ này.\n\n"
        "Bộ Thông tin và Truyền thông đề nghị các cơ quan báo chí chủ động rà soát danh sách "
        "phóng viên, hoàn thiện hồ sơ sớm để bảo đảm hoạt động tác nghiệp của nhà báo không bị "
        "gián đoạn.",
    ),
    QuestionSpec(
        "written.magazines", "thang", None, "tttt",
        "Chấn chỉnh tình trạng “báo hóa” tạp chí và trang thông tin điện tử tổng hợp",
        "Tình trạng một số tạp chí khoa học, trang thông tin điện tử tổng hợp hoạt động như một "
        "tờ báo, đăng tải tin tức thời sự không đúng tôn chỉ, mục đích vẫn được dư luận phản "
        "ánh. Xin Bộ cho biết kết quả kiểm tra, xử lý thời gian qua và giải pháp để chấn chỉnh "
        "tình trạng này?",
        "scheduled", asked_days_ago=7, unit="tttt.cbc",
        answer="Thời gian qua, Bộ Thông tin và Truyền thông đã chỉ đạo Cục Báo chí tăng cường "
        "theo dõi, kiểm tra hoạt động của các tạp chí, trang thông tin điện tử tổng hợp; nhắc "
        "nhở, yêu cầu chấn chỉnh và xử phạt vi phạm hành chính đối với các trường hợp đăng tải "
        "thông tin không đúng tôn chỉ, mục đích.\n\n"
        "Bộ đề nghị các cơ quan chủ quản nâng cao trách nhiệm quản lý, đồng thời tiếp tục hoàn "
        "thiện quy định pháp luật để phân định rõ hoạt động của báo và tạp chí, bảo đảm môi "
        "trường thông tin lành mạnh.",
    ),
    QuestionSpec(
        "written.slow_portal", "anh", None, "tttt",
        "Phản hồi thông tin báo chí nêu về việc chậm cập nhật văn bản trên Cổng TTĐT Bộ",
        "Một số bạn đọc phản ánh với Báo Tuổi Trẻ rằng văn bản quy phạm pháp luật mới ban hành "
        "chậm được đăng tải trên Cổng Thông tin điện tử Bộ Thông tin và Truyền thông, có văn "
        "bản sau nhiều ngày mới có toàn văn. Xin Bộ cho biết nguyên nhân và quy trình cập nhật "
        "văn bản lên Cổng TTĐT hiện nay?",
        "approved", asked_days_ago=6, unit="tttt.ttt",
        answer="Bộ Thông tin và Truyền thông tiếp thu phản ánh của bạn đọc. Theo quy trình, văn "
        "bản sau khi được ký ban hành được Văn phòng Bộ chuyển cho Trung tâm Thông tin để đăng "
        "tải toàn văn trên Cổng TTĐT. Một số trường hợp chậm đăng tải do văn bản điện tử chưa "
        "được chuyển kịp thời giữa các hệ thống.\n\n"
        "Trung tâm Thông tin đã phối hợp với Văn phòng Bộ kết nối hệ thống quản lý văn bản với "
        "Cổng TTĐT, bảo đảm văn bản quy phạm pháp luật được đăng tải trong ngày ban hành.",
    ),
    QuestionSpec(
        "written.outage", "ha", None, "tttt",
        "Cơ chế phát ngôn, cung cấp thông tin cho báo chí khi xảy ra sự cố viễn thông diện rộng",
        "Khi xảy ra sự cố đứt cáp quang biển, nhiều người dân và doanh nghiệp bị ảnh hưởng "
        "nhưng thông tin chính thức đến với báo chí còn chậm. Xin Bộ cho biết cơ chế phát ngôn "
        "và cung cấp thông tin cho báo chí trong các sự cố viễn thông diện rộng được thực hiện "
        "như thế nào, đầu mối nào chịu trách nhiệm cung cấp thông tin?",
        "returned", asked_days_ago=5, unit="tttt.ttt", due_in=2,
        answer="Theo Quy chế phát ngôn và cung cấp thông tin cho báo chí của Bộ, Người phát "
        "ngôn của Bộ chịu trách nhiệm cung cấp thông tin cho báo chí về các sự cố thuộc lĩnh "
        "vực quản lý. Trung tâm Thông tin là đầu mối tổng hợp thông tin từ các đơn vị, đăng tải "
        "trên Cổng TTĐT Bộ và gửi thông cáo báo chí tới các cơ quan báo chí.",
        review_comment="Đề nghị Trung tâm bổ sung thời hạn cung cấp thông tin ban đầu kể từ khi "
        "xảy ra sự cố, nêu rõ trách nhiệm phối hợp của Cục Viễn thông và dẫn căn cứ Nghị định "
        "09/2017/NĐ-CP về phát ngôn và cung cấp thông tin cho báo chí.",
    ),
    QuestionSpec(
        "written.rural", "thang", None, "tttt",
        "Truyền thông nâng cao nhận thức về chuyển đổi số cho người dân vùng sâu, vùng xa",
        "Tổ công nghệ số cộng đồng đã được thành lập ở nhiều xã, phường. Xin Bộ cho biết hoạt "
        "động truyền thông nâng cao nhận thức về chuyển đổi số cho người dân ở vùng sâu, vùng "
        "xa, vùng đồng bào dân tộc thiểu số thời gian tới sẽ được triển khai ra sao?",
        "draft", asked_days_ago=3, unit="tttt.ttt",
        answer="Thời gian tới, Bộ Thông tin và Truyền thông tiếp tục hướng dẫn các Sở TTTT phát "
        "huy vai trò của Tổ công nghệ số cộng đồng, hướng dẫn người dân cài đặt, sử dụng các "
        "nền tảng số thiết yếu; đa dạng hóa hình thức truyền thông bằng tiếng dân tộc thiểu số "
        "trên phát thanh, truyền hình địa phương.\n\n"
        "[Trung tâm Thông tin bổ sung số liệu sau khi nhận được báo cáo của các Sở TTTT.]",
        extension="Cần chờ báo cáo số liệu của các Sở TTTT về hoạt động của Tổ công nghệ số "
        "cộng đồng.",
    ),
    QuestionSpec(
        "written.impersonation", "phuong", None, "tttt",
        "Xử lý tài khoản mạng xã hội mạo danh Cổng TTĐT của cơ quan nhà nước",
        "Nhiều tài khoản mạng xã hội sử dụng tên, biểu trưng của Cổng Thông tin điện tử các cơ "
        "quan nhà nước để thu hút người theo dõi, sau đó đăng tải thông tin sai lệch. Xin Bộ "
        "cho biết cơ quan nhà nước cần làm gì để xác thực tài khoản chính thức, và các tài "
        "khoản mạo danh sẽ bị xử lý như thế nào?",
        "accepted", asked_days_ago=2,
    ),
    QuestionSpec(
        "written.tuition", "anh", None, "tttt",
        "Mức học phí năm học mới đối với các trường công lập",
        "Xin Bộ cho biết mức trần học phí năm học mới đối với các trường phổ thông công lập và "
        "chính sách miễn, giảm học phí cho học sinh có hoàn cảnh khó khăn?",
        "rejected", asked_days_ago=4,
        rejection_reason="Nội dung câu hỏi không thuộc phạm vi quản lý nhà nước của Bộ Thông "
        "tin và Truyền thông. Đề nghị phóng viên gửi câu hỏi tới Bộ Giáo dục và Đào tạo để được "
        "trả lời theo thẩm quyền.",
    ),
    QuestionSpec(
        "written.ads", "minh", None, "tttt",
        "Quản lý quảng cáo vi phạm trên các nền tảng xuyên biên giới",
        "Quảng cáo sai sự thật về thực phẩm chức năng, quảng cáo xuất hiện bên cạnh nội dung "
        "vi phạm pháp luật vẫn còn trên các nền tảng xuyên biên giới. Xin Bộ cho biết biện pháp "
        "quản lý, trách nhiệm của nhãn hàng và đơn vị cung cấp dịch vụ quảng cáo trong thời "
        "gian tới?",
        "submitted", asked_days_ago=0,
    ),
    QuestionSpec(
        "written.ads.again", "phuong", None, "tttt",
        "Quang cao sai su that tren nen tang xuyen bien gioi",
        "Tinh trang quang cao sai su that ve thuc pham chuc nang tren cac nen tang xuyen bien "
        "gioi van dien ra. De nghi Bo TT&TT cho biet bien phap xu ly va trach nhiem cua nhan "
        "hang?",
        "merged", asked_days_ago=0, merge_into="written.ads",
    ),
    QuestionSpec(
        "written.roaming", "minh", None, "tttt",
        "Cước chuyển vùng quốc tế khi đi du lịch nước ngoài",
        "Xin Bộ cho biết quy định về cước chuyển vùng quốc tế và việc nhà mạng cảnh báo khách "
        "hàng trước khi phát sinh cước cao?",
        "withdrawn", asked_days_ago=3,
    ),
    QuestionSpec(
        "written.expressway", "thang", None, "gtvt",
        "Tiến độ các dự án đường cao tốc Bắc – Nam phía Đông",
        "Xin Bộ Giao thông vận tải cho biết tiến độ các dự án thành phần đường cao tốc Bắc – "
        "Nam phía Đông giai đoạn 2021–2025, những dự án nào có nguy cơ chậm tiến độ và giải "
        "pháp tháo gỡ vướng mắc về mặt bằng, vật liệu xây dựng?",
        "submitted", asked_days_ago=0,
    ),
    QuestionSpec(
        "monthly.dti", "ha", "monthly", "tttt",
        "Chỉ số đánh giá mức độ chuyển đổi số của các Bộ, ngành và địa phương",
        "Tại họp báo định kỳ, xin Bộ cho biết kết quả đánh giá Chỉ số chuyển đổi số (DTI) của "
        "các Bộ, ngành và địa phương năm qua; những đơn vị dẫn đầu có kinh nghiệm gì, và các "
        "địa phương xếp hạng thấp được hỗ trợ ra sao?",
        "submitted", asked_days_ago=0,
    ),
    QuestionSpec(
        "monthly.schoolrecords", "phuong", "monthly", "gddt",
        "Triển khai học bạ số trong các trường phổ thông",
        "Xin đại diện Bộ Giáo dục và Đào tạo cho biết lộ trình triển khai học bạ số trong các "
        "trường phổ thông, việc bảo đảm an toàn dữ liệu của học sinh và giá trị pháp lý của học "
        "bạ số so với học bạ giấy?",
        "submitted", asked_days_ago=0,
    ),
    QuestionSpec(
        "government.sharing", "thang", "government", "vpcp",
        "Kết nối, chia sẻ thông tin giữa Cổng TTĐT Chính phủ và Cổng TTĐT các Bộ, ngành",
        "Xin Văn phòng Chính phủ cho biết cơ chế kết nối, chia sẻ thông tin giữa Cổng Thông tin "
        "điện tử Chính phủ với Cổng TTĐT các Bộ, ngành, địa phương khi có vấn đề nóng cần truyền "
        "thông; các Bộ, ngành cần phối hợp như thế nào trong công tác tổ chức họp báo Chính phủ "
        "thường kỳ?",
        "accepted", asked_days_ago=1,
    ),
)


class TurnSpec(NamedTuple):
    speaker_name: str
    speaker_role: str
    text: str
    offset_seconds: int | None = None
    question: str | None = None  # a QuestionSpec key asked at this conference


LAM = ("Nguyễn Thanh Lâm", "Thứ trưởng Bộ Thông tin và Truyền thông, Người phát ngôn của Bộ")
DUNG = ("Nguyễn Huy Dũng", "Thứ trưởng Bộ Thông tin và Truyền thông")
SAM = (
    "Nguyễn Hồng Sâm",
    "Tổng Giám đốc Cổng Thông tin điện tử Chính phủ, Tổng Biên tập Báo điện tử Chính phủ",
)

SON = ("Trần Văn Sơn",
       "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ, Người phát ngôn của Chính phủ")

# The draft transcript of the "portals" conference, from the seed article on the conference of
# the ministries' e-portals (2023).
DRAFT_TRANSCRIPT: tuple[TurnSpec, ...] = (
    TurnSpec(
        *SON,
        "Hội nghị là cơ hội để trao đổi, chia sẻ những kinh nghiệm quý, cách làm hay, cùng nhau "
        "nhìn nhận đánh giá những vấn đề còn tồn tại, hạn chế, thảo luận và đưa ra các giải pháp "
        "thiết thực để công tác thông tin truyền thông phục vụ chỉ đạo điều hành của Chính phủ, "
        "Thủ tướng Chính phủ ngày càng thiết thực, hiệu quả hơn. Sau Hội nghị, Cổng TTĐT Chính "
        "phủ và Cổng TTĐT các Bộ, ngành phối hợp tổng hợp các kiến nghị, đề xuất, báo cáo cấp có "
        "thẩm quyền xem xét, chỉ đạo, giải quyết.",
        0,
    ),
    TurnSpec(
        *LAM,
        "Trong các phương thức truyền thông hiện nay, Cổng TTĐT là một phương thức mới, còn nhiều "
        "dư địa phát triển. Bộ Thông tin và Truyền thông đang xây dựng Dự thảo Thông tư quy định "
        "chức năng, tính năng kỹ thuật của các Cổng TTĐT, Trang TTĐT của các cơ quan nhà nước và "
        "rất mong nhận được đóng góp ý kiến của các Bộ, ngành.",
        410,
    ),
)

# The published transcript of the "nd42" conference, adapted from the seed articles.
TRANSCRIPT: tuple[TurnSpec, ...] = (
    TurnSpec(
        *LAM,
        "Kính thưa các quý vị đại biểu, thưa các nhà báo! Thay mặt Lãnh đạo Bộ Thông tin và "
        "Truyền thông, tôi nhiệt liệt chào mừng các quý vị đến dự họp báo chuyên đề về việc "
        "triển khai Nghị định 42/2022/NĐ-CP của Chính phủ quy định về việc cung cấp thông tin và "
        "dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường mạng. Tham dự họp báo hôm "
        "nay có đồng chí Nguyễn Huy Dũng, Thứ trưởng Bộ Thông tin và Truyền thông; đồng chí "
        "Nguyễn Hồng Sâm, Tổng Giám đốc Cổng Thông tin điện tử Chính phủ; lãnh đạo Cục Báo chí, "
        "Cục Phát thanh, truyền hình và thông tin điện tử, Trung tâm Thông tin cùng đông đảo "
        "phóng viên các cơ quan báo chí Trung ương và Hà Nội. Họp báo gồm hai phần: phần thông "
        "tin của Lãnh đạo Bộ và phần trả lời câu hỏi của các nhà báo. Các câu hỏi đã gửi trước "
        "sẽ được trả lời trực tiếp tại họp báo hoặc trả lời bằng văn bản sau họp báo.",
        0,
    ),
    TurnSpec(
        *DUNG,
        "Thưa các nhà báo, Nghị định 42/2022/NĐ-CP đặt ra yêu cầu các cơ quan nhà nước cung cấp "
        "thông tin nhanh chóng, kịp thời, chính xác, đúng quy định trên Cổng, Trang Thông tin "
        "điện tử của mình. Bộ đề nghị các cơ quan, đơn vị thuộc Bộ và các Sở Thông tin và Truyền "
        "thông bám sát các nội dung chỉ đạo của Đảng, Chính phủ để bảo đảm cung cấp các thông "
        "tin, tài liệu chính thống cho Cổng TTĐT. Khi phát hiện thông tin không chính xác hoặc "
        "sai sự thật về hoạt động của Bộ, của ngành, lĩnh vực được phân công, các đơn vị phải "
        "thực hiện ngay việc phản hồi, cung cấp thông tin chính thống để phản bác trên Cổng TTĐT "
        "của Bộ, Trang TTĐT của đơn vị và trên báo chí, đồng thời phối hợp với các cơ quan liên "
        "quan để xử lý kịp thời. Cổng TTĐT cần không ngừng đổi mới nội dung, hình thức thể hiện, "
        "chủ động cung cấp thông tin chính thống cho các cơ quan báo chí khai thác, đăng tải, "
        "tạo luồng thông tin tích cực về hoạt động của Bộ, của ngành.",
        240,
    ),
    TurnSpec(
        *SAM,
        "Xin cảm ơn Bộ Thông tin và Truyền thông đã mời Cổng Thông tin điện tử Chính phủ cùng "
        "tham dự. Việc cung cấp thông tin nhanh nhất, chính xác nhất, có trọng tâm, trọng điểm, "
        "không để xảy ra sự cố hay khủng hoảng truyền thông là một trong những nội dung quan "
        "trọng. Các cơ quan báo chí đưa tin theo tôn chỉ, mục đích riêng, nhưng Cổng TTĐT với "
        "tư cách là nơi phát ra thông tin nguồn phải chính xác nhất, để không có cách hiểu, cách "
        "suy diễn khác nhau. Bên cạnh các nền tảng truyền thống, cần chú trọng tổ chức truyền "
        "thông trên mạng xã hội; tuy nhiên mạng xã hội cũng như “con dao hai lưỡi”, đòi hỏi "
        "chúng ta phải làm chủ được công nghệ khi vận hành, nếu không rất dễ trở thành nạn nhân. "
        "Khi có vấn đề nóng, quan trọng cần truyền thông, các Bộ, ngành có thể chia sẻ trên Cổng "
        "TTĐT Chính phủ để tăng thêm sức lan tỏa.",
        780,
    ),
    TurnSpec(
        "Đặng Thu Hà", "Phóng viên Báo Nhân Dân",
        "Tôi là Đặng Thu Hà, phóng viên Báo Nhân Dân. Nghị định 42/2022/NĐ-CP đã xác định lộ "
        "trình để Cổng TTĐT của các Bộ, ngành, địa phương đáp ứng yêu cầu về cung cấp thông tin "
        "và dịch vụ công trực tuyến. Xin Thứ trưởng cho biết đến nay việc triển khai đã đạt "
        "được những kết quả gì, những nơi chậm triển khai sẽ được đôn đốc ra sao, và khi nào "
        "Thông tư quy định chức năng, tính năng kỹ thuật của Cổng TTĐT được ban hành?",
        1320, "nd42.portals",
    ),
    TurnSpec(
        *LAM,
        "Cảm ơn câu hỏi của nhà báo. Cổng TTĐT các cấp ngày càng có vai trò quan trọng, đã làm "
        "tốt chức năng đa dạng hóa các phương thức thông tin, đa nền tảng, nắm bắt được xu "
        "hướng thông tin, truyền tải kịp thời đến người dân và doanh nghiệp những quyết sách của "
        "Chính phủ. Để tăng tương tác, một số Cổng TTĐT đã triển khai các hình thức mới, hướng "
        "tới khai thác dữ liệu: người dân có thể truy cập, tùy biến, sử dụng dữ liệu theo nhu "
        "cầu của mình thay vì tiếp cận thông tin một chiều, ở dạng tĩnh như trước đây. Hiện nay "
        "Bộ đang hoàn thiện Dự thảo Thông tư quy định chức năng, tính năng kỹ thuật của các Cổng "
        "TTĐT, Trang TTĐT của các cơ quan nhà nước và rất mong nhận được ý kiến đóng góp của các "
        "Bộ, ngành. Số liệu cụ thể sẽ được Trung tâm Thông tin trả lời bằng văn bản.",
        1410, "nd42.portals",
    ),
    TurnSpec(
        "Phạm Quang Minh", "Phóng viên Báo điện tử VnExpress",
        "Phạm Quang Minh, Báo điện tử VnExpress. Thời gian gần đây xuất hiện nhiều trang, tài "
        "khoản mạng xã hội mạo danh cơ quan nhà nước, đăng tải thông tin sai sự thật về chính "
        "sách, gây hoang mang dư luận. Xin Bộ cho biết cơ chế phối hợp với các nền tảng mạng xã "
        "hội xuyên biên giới để gỡ bỏ tin giả hiện nay ra sao, và người dân cần làm gì khi phát "
        "hiện thông tin sai sự thật?",
        1800, "nd42.fake",
    ),
    TurnSpec(
        *DUNG,
        "Đấu tranh với tin giả, thông tin sai sự thật là nhiệm vụ thường xuyên của Bộ. Các nền "
        "tảng xuyên biên giới cung cấp dịch vụ tại Việt Nam phải tuân thủ pháp luật Việt Nam và "
        "gỡ bỏ thông tin vi phạm khi có yêu cầu của cơ quan chức năng. Cùng với việc xử lý, điều "
        "quan trọng là lấy thông tin chính thống, tích cực để lấn át thông tin xấu, độc: các cơ "
        "quan nhà nước phải chủ động cung cấp thông tin sớm, đầy đủ trên Cổng TTĐT và qua Người "
        "phát ngôn, không để khoảng trống thông tin. Người dân phát hiện thông tin sai sự thật "
        "có thể phản ánh tới Trung tâm Xử lý tin giả Việt Nam hoặc Sở TTTT tại địa phương. Cục "
        "Phát thanh, truyền hình và thông tin điện tử sẽ trả lời bằng văn bản các số liệu cụ thể.",
        1880, "nd42.fake",
    ),
    TurnSpec(
        "Trần Ngọc Ánh", "Phóng viên Báo Tuổi Trẻ",
        "Trần Ngọc Ánh, Báo Tuổi Trẻ. Nhiều phóng viên làm việc tại các cơ quan báo chí điện tử "
        "phản ánh thủ tục đề nghị cấp thẻ nhà báo vẫn phải nộp nhiều giấy tờ bản giấy. Xin Bộ "
        "cho biết việc tiếp nhận hồ sơ cấp, đổi thẻ nhà báo qua dịch vụ công trực tuyến đã được "
        "triển khai đến đâu?",
        None, "nd42.cards",
    ),
    TurnSpec(
        *LAM,
        "Thủ tục cấp, đổi thẻ nhà báo đã được cung cấp trực tuyến: cơ quan báo chí lập danh "
        "sách và kê khai hồ sơ của phóng viên trên hệ thống, Cục Báo chí tiếp nhận, thẩm định và "
        "thông báo kết quả. Bộ đang tiếp tục rà soát để cắt giảm giấy tờ, tiến tới thực hiện "
        "toàn trình trên môi trường mạng. Cục Báo chí sẽ gửi nhà báo văn bản trả lời chi tiết "
        "về quy trình và thời hạn giải quyết.",
        None, "nd42.cards",
    ),
    TurnSpec(
        *LAM,
        "Thưa các quý vị, thưa các nhà báo! Những câu hỏi chưa được trả lời trực tiếp tại họp "
        "báo hôm nay sẽ được các đơn vị chức năng của Bộ trả lời bằng văn bản và công bố trên "
        "Cổng Thông tin điện tử Bộ Thông tin và Truyền thông. Bộ mong tiếp tục nhận được sự đồng "
        "hành của các cơ quan báo chí trong việc đưa thông tin chính thống, kịp thời đến với "
        "người dân, tạo môi trường công luận thuận lợi cho công cuộc chuyển đổi số quốc gia. Xin "
        "trân trọng cảm ơn và xin kết thúc buổi họp báo.",
        5100,
    ),
)

SCHEDULED_PUBLICATION = timedelta(days=3)
# A past conference stays open for questions this long while the demo submits them.
OPEN_WINDOW = timedelta(hours=1)
SHORT_NOTICE = "Họp báo đột xuất theo chỉ đạo của Lãnh đạo Bộ về vấn đề dư luận quan tâm."
POSTPONED_BY = timedelta(days=7)
POSTPONE_REASON = ("Lùi lịch để hoàn thiện thể lệ giải thưởng theo ý kiến góp ý của các bộ, "
                   "ngành và địa phương.")
CANCEL_REASON = ("Lãnh đạo Bộ có lịch công tác đột xuất; nội dung họp báo sẽ được thông tin "
                 "bằng văn bản tới các cơ quan báo chí.")


# ---------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------


@dataclass
class _Cast:
    """What has been built so far, by key."""

    orgs: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    conferences: dict[str, PressConference] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    # Organisation id → the spokesperson login that screens its questions.
    screeners: dict[int, User] = field(default_factory=dict)
    # Unit id → the focal officer that drafts its answers.
    officers: dict[int, User] = field(default_factory=dict)


def _id(row: Organization | User | PressConference | Question | Outlet) -> int:
    if row.id is None:
        raise RuntimeError(f"{type(row).__name__} has no id: was it flushed?")
    return row.id


def _today() -> date:
    return now().astimezone(local_zone()).date()


def _working_day(offset_days: int) -> date:
    """The working day ``offset_days`` from today, moved further from today if need be."""
    step = timedelta(days=-1 if offset_days < 0 else 1)
    day = _today() + timedelta(days=offset_days)
    while not is_working_day(day):
        day += step
    return day


def _build_organizations(session: Session, cast: _Cast) -> None:
    for spec in ORGANIZATIONS:
        parent_id = _id(cast.orgs[spec.parent]) if spec.parent else None
        cast.orgs[spec.key] = organizations.create_organization(
            session, name=spec.name, kind=spec.kind, short_name=spec.short_name,
            parent_id=parent_id,
        )


def _build_people(session: Session, cast: _Cast) -> list[DemoLogin]:
    logins: list[DemoLogin] = []
    outlets = {
        name: accounts.get_or_create_outlet(session, name=name, website=website)
        for name, website in OUTLETS
    }
    for journalist in JOURNALISTS:
        cast.users[journalist.key] = accounts.create_user(
            session, email=journalist.email, full_name=journalist.full_name,
            password=DEMO_PASSWORD, role=Role.JOURNALIST, outlet=outlets[journalist.outlet],
            press_card_number=journalist.press_card,
        )
    for staff in STAFF:
        user = accounts.create_user(
            session, email=staff.email, full_name=staff.full_name, password=DEMO_PASSWORD,
            role=staff.role,
        )
        cast.users[staff.key] = user
        if staff.organization is not None:
            org = cast.orgs[staff.organization]
            organizations.add_member(session, user_id=_id(user), organization_id=_id(org))
            if staff.role == Role.UNIT_OFFICER:
                cast.officers[_id(org)] = user
            elif staff.role == Role.SPOKESPERSON:
                cast.screeners[_id(org)] = user
    for person in SPOKESPERSONS:
        organizations.add_spokesperson(
            session, organization_id=_id(cast.orgs[person.organization]),
            full_name=person.full_name, title=person.title, phone=person.phone,
            email=person.email, is_deputy=person.is_deputy,
            user_id=_id(cast.users[person.login]) if person.login else None,
        )
    for user in cast.users.values():
        logins.append(DemoLogin(role=user.role, email=user.email, password=DEMO_PASSWORD,
                                full_name=user.full_name))
    return logins


def _conference_data(spec: ConferenceSpec, cast: _Cast, *, ends_at: datetime | None = None
                     ) -> ConferenceCreate:
    day = _working_day(spec.day_offset)
    starts_at = datetime.combine(day, spec.start, tzinfo=local_zone())
    return ConferenceCreate(
        title=spec.title.format(month=day.month, year=day.year),
        host_organization_id=_id(cast.orgs[spec.host]),
        participant_ids=[_id(cast.orgs[key]) for key in spec.participants],
        starts_at=starts_at,
        ends_at=ends_at or starts_at + timedelta(minutes=spec.minutes),
        venue=spec.venue,
        livestream_url=spec.livestream_url,
        description=spec.description,
    )


def _open_conferences(session: Session, cast: _Cast) -> None:
    """Creates every conference and announces the public ones.

    A conference is scheduled in the future and questions can only be sent for one that has
    not ended, so a conference that took place in the past is first scheduled to start in a
    few minutes (announced at short notice, with the reason); ``_close_past_conferences``
    then moves it to its real, past times and marks it held."""
    for spec in CONFERENCES:
        manager = cast.users[spec.manager]
        past = spec.fate in (*PAST, "live")
        data = _conference_data(spec, cast)
        if past:
            data = data.model_copy(update={"starts_at": now() + timedelta(minutes=5),
                                           "ends_at": now() + OPEN_WINDOW})
        conference = conferences.create_conference(session, actor=manager, data=data)
        cast.conferences[spec.key] = conference
        if spec.fate != "draft":
            short = conference.starts_at - now() < conferences.NOTICE
            conferences.announce_conference(
                session, actor=manager, conference=conference,
                data=ConferenceAnnounce(reason=SHORT_NOTICE if short else ""))
        if spec.fate == "cancelled":
            conferences.cancel_conference(session, actor=manager, conference=conference,
                                          data=ConferenceCancel(reason=CANCEL_REASON))
        if spec.fate == "postponed":
            conferences.postpone_conference(
                session, actor=manager, conference=conference, data=ConferencePostpone(
                    starts_at=conference.starts_at + POSTPONED_BY,
                    ends_at=conference.ends_at + POSTPONED_BY, reason=POSTPONE_REASON))


# Registrations for the monthly conference: (journalist, decision or None, reason). VTV and
# TTXVN are on the ministry's list of outlets accredited automatically.
TRUSTED_OUTLETS = ("Đài Truyền hình Việt Nam (VTV)", "Thông tấn xã Việt Nam (TTXVN)")
ACCREDITATIONS: tuple[tuple[str, bool | None, str], ...] = (
    ("ha", True, ""),
    ("thang", None, ""),  # trusted outlet: accredited at once
    ("phuong", None, ""),  # trusted outlet: accredited at once
    ("minh", None, ""),  # waits for the press office
    ("anh", False, "Thẻ nhà báo của chị hết hạn ngày 31/12/2025; đề nghị cơ quan báo chí cử "
                   "phóng viên khác hoặc bổ sung thẻ đã được cấp đổi."),
)


def _accredit(session: Session, cast: _Cast) -> None:
    """The monthly conference takes 80 journalists; some have registered."""
    conference, manager = cast.conferences["monthly"], cast.users["lam"]
    conference.capacity = 80
    session.add(conference)
    outlets = {o.name: o for o in session.exec(select(Outlet))}
    for name in TRUSTED_OUTLETS:
        conferences.set_trusted_outlet(session, actor=manager,
                                       organization_id=conference.host_organization_id,
                                       outlet_id=_id(outlets[name]), trusted=True)
    for key, approve, reason in ACCREDITATIONS:
        accreditation = conferences.request_accreditation(
            session, journalist=cast.users[key], conference=conference)
        if approve is not None:
            conferences.decide_accreditation(session, actor=manager, accreditation=accreditation,
                                             approve=approve, reason=reason)


def _close_past_conferences(session: Session, cast: _Cast) -> None:
    for spec in CONFERENCES:
        manager, conference = cast.users[spec.manager], cast.conferences[spec.key]
        if spec.fate == "live":
            conference.starts_at = now() - timedelta(minutes=20)
            conference.ends_at = conference.starts_at + timedelta(minutes=spec.minutes)
            session.add(conference)
            conferences.go_live(session, actor=manager, conference=conference)
        if spec.fate not in PAST:
            continue
        real = _conference_data(spec, cast)
        # History: the times a past conference really had (a service only schedules ahead).
        conference.starts_at, conference.ends_at = real.starts_at, real.ends_at
        session.add(conference)
        conferences.mark_conference_held(session, actor=manager, conference=conference)


def _submit_questions(session: Session, cast: _Cast) -> None:
    for spec in QUESTIONS:
        conference = cast.conferences[spec.conference] if spec.conference else None
        cast.questions[spec.key] = questions.submit_question(
            session,
            actor=cast.users[spec.asker],
            data=QuestionCreate(
                title=spec.title,
                body=spec.body,
                conference_id=_id(conference) if conference else None,
                addressed_to_id=_id(cast.orgs[spec.addressed_to]),
            ),
        )


def _due_date(working_days: int | None) -> date:
    days = get_settings().answer_due_working_days if working_days is None else working_days
    return add_working_days(_today(), days)


def _advance(session: Session, cast: _Cast, spec: QuestionSpec) -> None:
    """Walks one question (and its answer) to the stage its spec asks for."""
    question = cast.questions[spec.key]
    if spec.stage == "submitted":
        return
    if spec.stage == "withdrawn":
        questions.withdraw_question(session, actor=cast.users[spec.asker], question=question)
        return
    spokesperson = cast.screeners[question.addressed_to_id]
    if spec.stage == "merged" and spec.merge_into:
        questions.merge_question(session, actor=spokesperson, question=question,
                                 data=QuestionMerge(into_id=_id(cast.questions[spec.merge_into])))
        return
    if spec.stage == "rejected":
        questions.reject_question(session, actor=spokesperson, question=question,
                                  data=QuestionReject(ground=DeclineGround.OTHER,
                                                      message=spec.rejection_reason))
        return
    questions.accept_question(session, actor=spokesperson, question=question)
    if spec.stage == "accepted" or spec.unit is None:
        return
    unit = cast.orgs[spec.unit]
    questions.assign_question(
        session, actor=spokesperson, question=question,
        data=QuestionAssign(unit_id=_id(unit), due_date=_due_date(spec.due_in), note=spec.assign_note),
    )
    if spec.extension:
        due = _due_date(spec.due_in)
        questions.extend_due_date(session, actor=spokesperson, question=question, data=DueExtension(
            extended_to=add_working_days(due, 5), reason=spec.extension))
    if spec.holding:
        questions.send_holding_reply(session, actor=spokesperson, question=question, data=HoldingReply(
            answer_by=_due_date(spec.due_in), message=spec.holding))
    if spec.stage == "assigned":
        return
    officer = cast.officers[_id(unit)]
    answer = answers.save_draft(session, actor=officer, question=question,
                                data=AnswerDraft(body=spec.answer))
    if spec.stage == "draft":
        return
    answers.submit_answer(session, actor=officer, question=question, answer=answer)
    if spec.stage == "awaiting_approval":
        return
    if spec.stage == "returned":
        answers.return_answer(session, actor=spokesperson, question=question, answer=answer,
                              data=AnswerReturn(comment=spec.review_comment))
        return
    answers.approve_answer(session, actor=spokesperson, question=question, answer=answer)
    if spec.stage == "approved":
        return
    publish_at = now() + SCHEDULED_PUBLICATION if spec.stage == "scheduled" else None
    answers.publish_answer(session, actor=spokesperson, question=question, answer=answer,
                           data=AnswerPublish(publish_at=publish_at))
    if spec.correction_reason:
        before, after = spec.correction
        assert before in spec.answer, spec.key
        answers.correct_answer(session, actor=spokesperson, question=question, answer=answer,
                               data=AnswerCorrection(body=spec.answer.replace(before, after),
                                                     reason=spec.correction_reason))


RECORDING = "https://mic.example/video/hop-bao-nghi-dinh-42.mp4"


def _turns(specs: tuple[TurnSpec, ...], cast: _Cast) -> list[TurnIn]:
    return [TurnIn(speaker_name=turn.speaker_name, speaker_role=turn.speaker_role,
                   text=turn.text, offset_seconds=turn.offset_seconds,
                   question_id=_id(cast.questions[turn.question]) if turn.question else None)
            for turn in specs]


def _write_transcripts(session: Session, cast: _Cast) -> None:
    """The "nd42" transcript in two versions, as a press office works: a first draft without
    the closing turn and with a time mistyped, then the corrected one with the recording,
    published as final; and the "portals" one, a first draft."""
    manager, conference = cast.users["lam"], cast.conferences["nd42"]
    turns = _turns(TRANSCRIPT, cast)
    first = [turn.model_copy(update={"offset_seconds": 180}) if i == 1 else turn
             for i, turn in enumerate(turns[:-1])]
    conferences.replace_transcript(session, actor=manager, conference=conference,
                                   data=TranscriptIn(turns=first))
    conferences.replace_transcript(session, actor=manager, conference=conference,
                                   data=TranscriptIn(turns=turns, recording_url=RECORDING))
    conferences.publish_transcript(session, actor=manager, conference=conference)
    conferences.replace_transcript(session, actor=cast.users["son"],
                                   conference=cast.conferences["portals"],
                                   data=TranscriptIn(turns=_turns(DRAFT_TRANSCRIPT, cast)))


def _backdate_history(session: Session, cast: _Cast) -> None:
    """Moves creation times into the past so the lists read like weeks of work.

    The only direct writes in this module: ``PressConference.created_at`` and (in
    ``_close_past_conferences``) the start and end of the past conferences, and
    ``Question.created_at``. All are pure history (the services schedule only ahead); every
    state, due date and publication time came from the services."""
    for conference_spec in CONFERENCES:
        if conference_spec.fate in PAST:
            past = cast.conferences[conference_spec.key]
            past.created_at = past.starts_at - timedelta(days=14)
            session.add(past)
    for spec in QUESTIONS:
        question = cast.questions[spec.key]
        asked_at = cast.conferences[spec.conference] if spec.conference else None
        if asked_at is not None and asked_at.starts_at <= now():
            question.created_at = asked_at.starts_at - timedelta(days=spec.asked_days_ago)
        else:
            question.created_at = now() - timedelta(days=spec.asked_days_ago)
        session.add(question)
    session.flush()


def _first_of_each_role(logins: list[DemoLogin]) -> list[DemoLogin]:
    order = (Role.JOURNALIST, Role.UNIT_OFFICER, Role.SPOKESPERSON, Role.ADMIN)
    first = [next(login for login in logins if login.role == role) for role in order]
    return first + [login for login in logins if login not in first]


def demo_logins(session: Session) -> list[DemoLogin]:
    """The demo accounts already in the database, first of each role first (empty when the
    database holds other data)."""
    emails = [j.email for j in JOURNALISTS] + [s.email for s in STAFF]
    users = session.exec(select(User).where(col(User.email).in_(emails))).all()
    logins = [DemoLogin(role=u.role, email=u.email, password=DEMO_PASSWORD,
                        full_name=u.full_name) for u in sorted(users, key=lambda u: u.id or 0)]
    roles = {login.role for login in logins}
    return _first_of_each_role(logins) if len(roles) == 4 else logins


def load_demo(session: Session) -> list[DemoLogin]:
    """Fills an empty database with the demo data set. Flushes, never commits.

    Returns the logins (all with ``DEMO_PASSWORD``): the first journalist, focal officer,
    spokesperson and administrator in that order, then the other accounts.
    Errors: RuntimeError when the database already holds users."""
    if session.exec(select(User.id).limit(1)).first() is not None:
        raise RuntimeError(
            "the database already holds data; demo data loads into an empty database"
        )
    cast = _Cast()
    _build_organizations(session, cast)
    logins = _build_people(session, cast)
    _open_conferences(session, cast)
    _accredit(session, cast)
    _submit_questions(session, cast)
    _close_past_conferences(session, cast)
    for spec in QUESTIONS:
        _advance(session, cast, spec)
    _write_transcripts(session, cast)
    _backdate_history(session, cast)
    return _first_of_each_role(logins)
