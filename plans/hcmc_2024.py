"""Ho Chi Minh City's 2024 digital-transformation plan, the reference instance of dxplan.

Source: a Vietnamese news article summarising the plan of the HCMC People's
Committee (UBND TP.HCM) implementing the Programme "Chuyển đổi số của TP.HCM"
and the Project "Xây dựng TP.HCM trở thành đô thị thông minh" in 2024.
Vietnamese labels follow the article, with its typos fixed; every fix is
listed in docs/hcmc_2024.md. Links between tasks and indicators are not in the
source: each is marked as an assumption with its reason.

Written with the public API only, as any user would write a plan.
"""

from __future__ import annotations

from dxplan import (
    Drive,
    Indicator,
    IndicatorGroup,
    Label,
    Link,
    Plan,
    Priority,
    Provenance,
    Target,
    Task,
    Unit,
)

ARTICLE = "UBND TP.HCM, Kế hoạch chuyển đổi số năm 2024, as summarised by a news article"
YEAR = 2024


def share_of(basis: str) -> Unit:
    """Percent of ``basis``."""
    return Unit(symbol="%", basis=basis)


def at_least(value: float, scope: str | None = None, scope_label: Label | None = None) -> Target:
    """ "đạt", "tối thiểu", "từ … trở lên", "100 %": reached at the value (≥)."""
    return Target(comparator=">=", value=value, deadline=YEAR, scope=scope, scope_label=scope_label)


def above(value: float) -> Target:
    """ "trên": strictly above the value (>)."""
    return Target(comparator=">", value=value, deadline=YEAR)


def links(*ids: str, why: str) -> tuple[Link, ...]:
    """Links to ``ids``, each an assumption for the reason ``why``."""
    return tuple(Link(to=i, provenance=Provenance.assumption(why)) for i in ids)


DTI = "dti-922"
"""The provincial DTI of Decision 922/QĐ-BTTTT, bundled with dxplan; 1.1 is scored from it."""

DTI_MAIN = (
    "the task bears the name of a main indicator of the provincial DTI "
    "(Decision 922/QĐ-BTTTT), so progress on it raises the DTI value behind 1.1"
)


def drives(component: str, why: str = DTI_MAIN) -> tuple[Drive, ...]:
    """The task moves ``component`` of the DTI, an assumption for the reason ``why``."""
    return (Drive(index=DTI, component=component, provenance=Provenance.assumption(why)),)


priorities = (
    Priority(
        id="P1",
        label=Label(vi="Ưu tiên phát triển dữ liệu số", en="Developing digital data"),
        description=Label(
            vi="Yếu tố sản xuất then chốt trong sự phát triển của nền kinh tế số",
            en="The key production factor of the digital economy",
        ),
    ),
    Priority(
        id="P2",
        label=Label(vi="Ưu tiên quản trị số", en="Digital governance"),
        description=Label(
            vi="Đảm bảo cho sự phát triển nhanh chóng và lành mạnh của nền kinh tế số",
            en="For fast and healthy growth of the digital economy",
        ),
    ),
    Priority(
        id="P3",
        label=Label(
            vi="Ưu tiên phát triển công nghiệp công nghệ số",
            en="Developing the digital technology industry",
        ),
        description=Label(
            vi="Ngành công nghiệp chủ đạo cung cấp công nghệ, sản phẩm, dịch vụ, giải pháp, "
            "nội dung số cho phát triển kinh tế số",
            en="The leading industry supplying technology, products, services, solutions "
            "and content for the digital economy",
        ),
    ),
    Priority(
        id="P4",
        label=Label(
            vi="Ưu tiên số hóa các ngành kinh tế",
            en="Digitising the economic sectors",
        ),
        description=Label(
            vi="Gắn với tăng năng suất lao động xã hội, sản lượng, quản lý và đổi mới sáng tạo "
            "– mặt trận chính cho sự phát triển của nền kinh tế số",
            en="Tied to labour productivity, output, management and innovation "
            "– the main front of the digital economy",
        ),
    ),
)

theme_indicators = (
    Indicator(
        id="1.1",
        label=Label(
            vi="TP.HCM thuộc nhóm 5 địa phương dẫn đầu về chỉ số chuyển đổi số cấp tỉnh",
            en="HCMC among the 5 leading provinces in the provincial digital "
            "transformation index (DTI)",
        ),
        unit=Unit(symbol="rank"),
        targets=(Target(comparator="rank<=", value=5, out_of=63, deadline=YEAR),),
        measures="dti-rank",
        scored_from=DTI,
    ),
    Indicator(
        id="1.2",
        label=Label(
            vi="Hạ tầng CNTT được rà soát, nâng cấp, đảm bảo liên thông kết nối từ TP đến "
            "cấp huyện và phường, xã, thị trấn",
            en="IT infrastructure reviewed, upgraded and interconnected from the city "
            "to districts and wards, communes and towns",
        ),
        unit=share_of("IT infrastructure"),
        targets=(at_least(100),),
    ),
    Indicator(
        id="1.3",
        label=Label(
            vi="Đóng góp của kinh tế số trong GRDP TP",
            en="Contribution of the digital economy to the city's GRDP",
        ),
        unit=share_of("GRDP"),
        targets=(at_least(22),),
        measures="digital-economy-share",
    ),
)

government_indicators = (
    Indicator(
        id="2.1",
        label=Label(
            vi="Thủ tục hành chính đáp ứng yêu cầu cung cấp dịch vụ công trực tuyến toàn "
            "trình được cung cấp trên Hệ thống thông tin giải quyết thủ tục hành chính của "
            "TP, kết nối Cổng Dịch vụ công quốc gia",
            en="Administrative procedures eligible for end-to-end online public service, "
            "provided on the city's procedure system and connected to the National Public "
            "Service Portal",
        ),
        unit=share_of("eligible administrative procedures"),
        targets=(at_least(100),),
    ),
    Indicator(
        id="2.2",
        label=Label(
            vi="Ứng dụng thanh toán điện tử",
            en="Use of electronic payment",
        ),
        unit=share_of("units"),
        targets=(
            at_least(
                100,
                scope="a",
                scope_label=Label(
                    vi="Sở, ban - ngành, UBND thành phố Thủ Đức, quận, huyện, UBND phường, "
                    "xã, thị trấn thực hiện ứng dụng thanh toán điện tử trong giải quyết TTHC",
                    en="Departments, Thu Duc City, district and ward/commune People's "
                    "Committees using e-payment in handling procedures",
                ),
            ),
            at_least(
                100,
                scope="b",
                scope_label=Label(
                    vi="Đơn vị sự nghiệp công lập về lĩnh vực giáo dục, y tế ứng dụng thanh "
                    "toán điện tử trong cung ứng dịch vụ",
                    en="Public education and health service units using e-payment in "
                    "providing services",
                ),
            ),
        ),
    ),
    Indicator(
        id="2.3",
        label=Label(
            vi="Văn bản, tài liệu chính thức trao đổi giữa các cơ quan hành chính nhà nước "
            "được thực hiện trên môi trường điện tử trừ các văn bản có chứa bí mật nhà nước",
            en="Official documents exchanged between state administrative agencies in "
            "electronic form, except those containing state secrets",
        ),
        unit=share_of("official documents"),
        targets=(at_least(100),),
    ),
    Indicator(
        id="2.4",
        label=Label(
            vi="Các đơn vị; cán bộ, công chức, viên chức tại các đơn vị sử dụng chữ ký số "
            "trong thực hiện nhiệm vụ trên môi trường điện tử, giải quyết hồ sơ, giải quyết TTHC",
            en="Units, cadres, civil servants and public employees using digital signatures "
            "for work, dossiers and procedures",
        ),
        unit=share_of("units and staff"),
        targets=(at_least(100),),
    ),
    Indicator(
        id="2.5",
        label=Label(
            vi="Hệ thống báo cáo của TP được kết nối liên thông, chia sẻ dữ liệu với Hệ thống "
            "thông tin báo cáo quốc gia",
            en="The city's reporting systems connected to, and sharing data with, the "
            "National Reporting Information System",
        ),
        unit=share_of("reporting systems"),
        targets=(at_least(100),),
    ),
    Indicator(
        id="2.6",
        label=Label(
            vi="Cán bộ, công chức, viên chức sử dụng hệ thống thư điện tử công vụ trong trao "
            "đổi công việc theo đúng quy định của UBND TP tại Quyết định số 41/2011/QĐ-UBND "
            "ngày 17/6/2011",
            en="Cadres, civil servants and public employees using the official e-mail "
            "system, per the City's Decision 41/2011/QĐ-UBND of 17 June 2011",
        ),
        unit=share_of("cadres, civil servants and public employees"),
        targets=(at_least(100),),
    ),
    Indicator(
        id="2.7",
        label=Label(
            vi="Tỷ lệ số hóa kết quả và hồ sơ giải quyết TTHC đang còn hiệu lực và có giá trị "
            "sử dụng",
            en="Digitisation of valid procedure results and dossiers still in use",
        ),
        unit=share_of("valid procedure results and dossiers"),
        targets=(
            at_least(
                70,
                scope="city",
                scope_label=Label(vi="Các sở, ban – ngành TP", en="City departments"),
            ),
            at_least(60, scope="district", scope_label=Label(vi="Cấp huyện", en="District level")),
            at_least(55, scope="commune", scope_label=Label(vi="Cấp xã", en="Commune level")),
        ),
    ),
    Indicator(
        id="2.8",
        label=Label(
            vi="Tỷ lệ hồ sơ TTHC xử lý trực tuyến",
            en="Procedure dossiers processed online",
        ),
        unit=share_of("procedure dossiers"),
        targets=(at_least(60),),
    ),
)

economy_indicators = (
    Indicator(
        id="3.1",
        label=Label(vi="Tỷ trọng kinh tế số trong GRDP", en="Digital economy share of GRDP"),
        unit=share_of("GRDP"),
        targets=(at_least(25),),
        measures="digital-economy-share",
    ),
    Indicator(
        id="3.2",
        label=Label(
            vi="Tỷ trọng thương mại điện tử trong tổng mức bán lẻ",
            en="E-commerce share of total retail sales",
        ),
        unit=share_of("retail sales"),
        targets=(above(10),),
    ),
    Indicator(
        id="3.3",
        label=Label(
            vi="Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử",
            en="Enterprises using e-contracts",
        ),
        unit=share_of("enterprises"),
        targets=(above(80),),
    ),
    Indicator(
        id="3.4",
        label=Label(
            vi="Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số",
            en="Small and medium enterprises using digital platforms",
        ),
        unit=share_of("small and medium enterprises"),
        targets=(above(50),),
    ),
    Indicator(
        id="3.5",
        label=Label(
            vi="Tỷ lệ nhân lực lao động kinh tế số trong lực lượng lao động",
            en="Digital-economy workforce in the labour force",
        ),
        unit=share_of("labour force"),
        targets=(above(2),),
    ),
    Indicator(
        id="3.6",
        label=Label(
            vi="Tỷ lệ dân số trưởng thành có điện thoại thông minh",
            en="Adults owning a smartphone",
        ),
        unit=share_of("adult population"),
        targets=(at_least(85),),
    ),
)

security_indicators = (
    Indicator(
        id="4.1",
        label=Label(
            vi="Tỷ lệ hệ thống thông tin cấp độ của TP.HCM được phân loại và thực hiện bảo vệ "
            "theo cấp độ",
            en="The city's information systems classified by security level and protected "
            "according to that level",
        ),
        unit=share_of("information systems"),
        targets=(at_least(100),),
    ),
    Indicator(
        id="4.2",
        label=Label(
            vi="Tỷ lệ hệ thống thông tin triển khai đầy đủ phương án bảo vệ theo Hồ sơ đề "
            "xuất cấp độ đã được phê duyệt",
            en="Information systems fully deploying the protection plan of their approved "
            "security-level dossier",
        ),
        unit=share_of("information systems"),
        targets=(at_least(90),),
    ),
)

groups = (
    IndicatorGroup(
        id="G1",
        label=Label(
            vi="Chỉ tiêu theo Chủ đề công tác năm 2024 của TP",
            en="Indicators of the city's 2024 theme",
        ),
        declared_count=3,
        indicators=theme_indicators,
    ),
    IndicatorGroup(
        id="G2",
        label=Label(vi="Chỉ tiêu về Chính quyền số", en="Digital government"),
        declared_count=8,
        indicators=government_indicators,
    ),
    IndicatorGroup(
        id="G3",
        label=Label(
            vi="Chỉ tiêu về Kinh tế số và xã hội số",
            en="Digital economy and digital society",
        ),
        declared_count=13,
        indicators=economy_indicators,
    ),
    IndicatorGroup(
        id="G4",
        label=Label(vi="Chỉ tiêu về An toàn an ninh thông tin", en="Information security"),
        declared_count=7,
        indicators=security_indicators,
    ),
)

tasks = (
    Task(
        id="T01",
        label=Label(vi="Nhận thức số", en="Digital awareness"),
        contributes_to=links(
            "3.6", "3.4", why="awareness campaigns drive the adoption these measure"
        ),
        priorities=links("P4", why="awareness is a precondition of digitising the economy"),
        drives=drives("nhan_thuc_so"),
    ),
    Task(
        id="T02",
        label=Label(vi="Thể chế số", en="Digital institutions"),
        contributes_to=(
            *links(
                "2.3",
                "2.6",
                "3.3",
                why="electronic documents, official e-mail and e-contracts rest on the rules "
                "that make them binding",
            ),
        ),
        priorities=links("P2", why="institutions are the rules of digital governance"),
        drives=drives("the_che_so"),
    ),
    Task(
        id="T03",
        label=Label(vi="Hạ tầng số", en="Digital infrastructure"),
        contributes_to=links("1.2", why="1.2 measures the IT infrastructure this task upgrades"),
        priorities=links("P1", why="data needs the networks and data centres to live on"),
        drives=drives("ha_tang_so"),
    ),
    Task(
        id="T04",
        label=Label(vi="Dữ liệu số", en="Digital data"),
        depends_on=links("T03", why="data is stored and shared on the digital infrastructure"),
        contributes_to=links(
            "2.5",
            "2.7",
            why="connected reporting systems and digitised dossiers are the city's digital data",
        ),
        priorities=links("P1", why="the task and the priority are both about digital data"),
    ),
    Task(
        id="T05",
        label=Label(vi="Nền tảng số", en="Digital platforms"),
        depends_on=links("T03", why="platforms run on the digital infrastructure"),
        contributes_to=links(
            "2.1",
            "3.4",
            why="online public services and SME adoption both run on digital platforms",
        ),
        priorities=links("P3", why="platforms are products of the digital technology industry"),
    ),
    Task(
        id="T06",
        label=Label(vi="Nhân lực số", en="Digital workforce"),
        contributes_to=links("3.5", why="3.5 measures the digital-economy workforce"),
        priorities=links("P3", why="the technology industry needs a digital workforce"),
        drives=drives("nhan_luc_so"),
    ),
    Task(
        id="T07",
        label=Label(vi="An toàn thông tin mạng", en="Cyber information security"),
        depends_on=links("T03", why="what is protected is the digital infrastructure"),
        contributes_to=links("4.1", "4.2", why="group 4 measures information-system protection"),
        priorities=links("P2", why="security is a condition of healthy digital governance"),
        drives=drives("an_toan_thong_tin_mang"),
    ),
    Task(
        id="T08",
        label=Label(vi="Chính quyền số", en="Digital government"),
        depends_on=(
            *links("T02", why="digital government acts within the digital institutions"),
            *links("T04", "T05", why="digital government runs on shared data and platforms"),
        ),
        contributes_to=(
            *links(
                "2.1",
                "2.2",
                "2.3",
                "2.4",
                "2.6",
                "2.8",
                why="group 2 measures digital government",
            ),
        ),
        priorities=links("P2", why="digital government is digital governance in practice"),
        drives=drives("hd_chinh_quyen_so"),
    ),
    Task(
        id="T09",
        label=Label(vi="Kinh tế số", en="Digital economy"),
        depends_on=(
            *links("T05", why="firms go digital on digital platforms"),
            *links("T06", why="the digital economy needs a digital workforce"),
        ),
        contributes_to=(
            *links(
                "1.3",
                "3.1",
                "3.2",
                "3.3",
                "3.4",
                why="these measure the size and adoption of the digital economy",
            ),
        ),
        priorities=links("P3", "P4", why="the digital economy is what both priorities grow"),
        drives=drives("hd_kinh_te_so"),
    ),
    Task(
        id="T10",
        label=Label(vi="Xã hội số", en="Digital society"),
        depends_on=(
            *links("T01", why="a digital society starts with digital awareness"),
            *links("T05", why="citizens use public and commercial digital platforms"),
        ),
        contributes_to=links(
            "3.6", "3.2", why="smartphones and online shopping are digital society"
        ),
        priorities=links("P4", why="a digital society creates demand for digitised sectors"),
        drives=drives("hd_xa_hoi_so"),
    ),
    Task(
        id="T11",
        label=Label(
            vi="Các trụ cột của Đề án Đô thị thông minh",
            en="The pillars of the smart-city project",
        ),
        depends_on=links("T03", "T04", why="a smart city is built on infrastructure and data"),
        contributes_to=links(
            "2.5",
            why="the smart-city operations centre draws on the city's connected reporting systems",
        ),
        priorities=links("P1", why="the smart-city project is built around shared city data"),
        drives=drives(
            "do_thi_thong_minh",
            why="the smart-city pillars are what the DTI's smart-city indicator (Đô thị thông "
            "minh) assesses; it carries 0 points under Decision 922, so it does not move 1.1 "
            "until it is scored",
        ),
    ),
)

plan = Plan(
    id="hcmc-2024",
    label=Label(
        vi="Kế hoạch triển khai Chương trình “Chuyển đổi số của TP.HCM” và Đề án “Xây dựng "
        "TP.HCM trở thành đô thị thông minh” năm 2024",
        en="2024 plan implementing the Programme “Digital transformation of HCMC” and the "
        "Project “Building HCMC into a smart city”",
    ),
    year=YEAR,
    entity="ho-chi-minh",
    theme=Label(
        vi="Quyết tâm thực hiện hiệu quả Chuyển đổi số và Nghị quyết số 98/2023/QH15 của Quốc hội",
        en="Determined to implement digital transformation and National Assembly "
        "Resolution 98/2023/QH15 effectively",
    ),
    priorities=priorities,
    groups=groups,
    tasks=tasks,
    provenance=Provenance.seed(ARTICLE),
)
