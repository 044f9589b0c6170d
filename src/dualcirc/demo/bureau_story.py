"""The demo's bureau work, written through ``bureau.domain``: support cases at each step of the
loop (received → assigned → handling → feedback → closed and rated, one opened from an at-risk
alert), contact log entries, two industrial chains with their leading officials, strong, weak
and missing links, and investment projects at each stage of the pipeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from dualcirc.bureau.domain.cases import log_contact, move_case, open_case, rate_case
from dualcirc.bureau.domain.chains import save_chain, save_link
from dualcirc.bureau.domain.projects import create_project, update_project
from dualcirc.bureau.enums import (
    AlertStatus,
    CaseStatus,
    ChainStage,
    ContactKind,
    NeedType,
    ProjectStage,
)
from dualcirc.bureau.models import Alert, ChainLink, IndustrialChain
from dualcirc.core.models import Region
from dualcirc.demo.cast import Cast

# Each case: (government login, enterprise key, need, title, the status it reaches).
CASES = (
    ("qingdao-gov", "LXF04", NeedType.DOMESTIC_CHANNEL, "希望对接天猫、京东家居类目招商",
     CaseStatus.RECEIVED),
    ("qingdao-gov", "LXF02", NeedType.CERTIFICATION, "申请FSC森林认证，需要辅导机构",
     CaseStatus.ASSIGNED),
    ("qingdao-gov", "QDA01", NeedType.EXPORT_MARKET, "开拓越南、泰国空调市场，需要展会渠道",
     CaseStatus.HANDLING),
    ("qingdao-gov", "LXF01", NeedType.FINANCING, "出口订单增加，流动资金贷款需求500万元",
     CaseStatus.FEEDBACK),
    ("qingdao-gov", "LXF01", NeedType.LOGISTICS, "拼箱出口到汉堡的物流成本过高",
     CaseStatus.CLOSED),
    ("lanxi-gov", "LXT02", NeedType.TALENT, "招聘外贸业务员（越南语）", CaseStatus.HANDLING),
    ("lanxi-gov", "LXT01", NeedType.CERTIFICATION, "GRS再生纤维认证年审", CaseStatus.CLOSED),
)  # fmt: skip
TEAMS = {
    NeedType.DOMESTIC_CHANNEL: ("内贸流通科", ["商务局", "电商协会"]),
    NeedType.CERTIFICATION: ("质量认证服务队", ["市场监管局", "商务局"]),
    NeedType.EXPORT_MARKET: ("外贸服务专班", ["商务局", "贸促会"]),
    NeedType.FINANCING: ("金融服务专班", ["金融办", "人民银行"]),
    NeedType.LOGISTICS: ("物流协调组", ["交通运输局", "海关"]),
    NeedType.TALENT: ("人才服务中心", ["人社局"]),
}
STEPS = (CaseStatus.ASSIGNED, CaseStatus.HANDLING, CaseStatus.FEEDBACK, CaseStatus.CLOSED)
NOTES = {
    CaseStatus.HANDLING: "已与企业负责人电话沟通，约定下周上门。",
    CaseStatus.FEEDBACK: "已对接两家银行，企业提交了贷款材料。",
    CaseStatus.CLOSED: "问题已解决，企业确认。",
}


@dataclass(frozen=True)
class ChainSpec:
    gov: str
    region: str
    name_zh: str
    name_en: str
    official: str
    title: str
    # (stage, name_zh, name_en, minimum enterprises, bought from outside, enterprise keys)
    links: tuple[tuple[str, str, str, int, bool, tuple[str, ...]], ...]


CHAINS = (
    ChainSpec("qingdao-gov", "3702", "青岛家居产业链", "Qingdao home furnishing chain",
              "王建华", "副市长（链长）", (
        (ChainStage.UPSTREAM, "木材与板材", "Timber and boards", 2, True, ()),
        (ChainStage.UPSTREAM, "五金配件", "Hardware fittings", 2, False, ()),
        (ChainStage.MIDSTREAM, "实木家具制造", "Solid wood furniture making", 3, False,
         ("LXF01", "LXF02", "LXF03", "LXF04", "LXF05")),
        (ChainStage.MIDSTREAM, "软体家具", "Upholstered furniture", 2, False, ("LXF07",)),
        (ChainStage.DOWNSTREAM, "家电配套", "Appliances for fitted homes", 2, False,
         ("QDA01", "QDA03", "QDA06")),
        (ChainStage.DOWNSTREAM, "跨境电商与物流", "Cross-border e-commerce and logistics", 2,
         False, ()),
    )),
    ChainSpec("lanxi-gov", "330781", "兰溪纺织服装产业链", "Lanxi textiles and garments chain",
              "李明", "市长（链长）", (
        (ChainStage.UPSTREAM, "棉纱", "Cotton yarn", 2, True, ("LXT03",)),
        (ChainStage.MIDSTREAM, "织造（牛仔布、坯布）", "Weaving (denim, grey cloth)", 3, False,
         ("LXT01", "LXT02", "LXT04")),
        (ChainStage.MIDSTREAM, "印染与后整理", "Dyeing and finishing", 2, False, ()),
        (ChainStage.DOWNSTREAM, "服装加工", "Garment making", 2, False, ("LXT05",)),
        (ChainStage.DOWNSTREAM, "外贸服务", "Export services", 1, False, ("LXT06",)),
    )),
)  # fmt: skip

# Each project: (gov, region, name, investor, amount CNY, link name_en, stage reached).
PROJECTS = (
    ("qingdao-gov", "3702", "五金配件产业园", "浙江永康五金集团", "120000000",
     "Hardware fittings", ProjectStage.LEAD),
    ("qingdao-gov", "3702", "跨境电商海外仓（汉堡）", "青岛港国际物流", "45000000",
     "Cross-border e-commerce and logistics", ProjectStage.NEGOTIATING),
    ("qingdao-gov", "3702", "人造板生产线", "Nordic Board Oy (Finland)", "80000000",
     "Timber and boards", ProjectStage.SIGNED),
    ("qingdao-gov", "3702", "智能软体家具工厂", "顾家家居", "260000000",
     "Upholstered furniture", ProjectStage.UNDER_CONSTRUCTION),
    ("lanxi-gov", "330781", "数码印花与后整理中心", "绍兴印染集团", "150000000",
     "Dyeing and finishing", ProjectStage.OPERATING),
    ("lanxi-gov", "330781", "再生棉纱项目", "Vietnam Textile Recycling JSC", "30000000",
     "Cotton yarn", ProjectStage.DROPPED),
)  # fmt: skip
PROJECT_PATHS = {
    ProjectStage.LEAD: (),
    ProjectStage.NEGOTIATING: (ProjectStage.NEGOTIATING,),
    ProjectStage.SIGNED: (ProjectStage.NEGOTIATING, ProjectStage.SIGNED),
    ProjectStage.UNDER_CONSTRUCTION: (
        ProjectStage.NEGOTIATING,
        ProjectStage.SIGNED,
        ProjectStage.UNDER_CONSTRUCTION,
    ),
    ProjectStage.OPERATING: (
        ProjectStage.NEGOTIATING,
        ProjectStage.SIGNED,
        ProjectStage.UNDER_CONSTRUCTION,
        ProjectStage.OPERATING,
    ),
    ProjectStage.DROPPED: (ProjectStage.NEGOTIATING, ProjectStage.DROPPED),
}


@dataclass(frozen=True)
class BureauSummary:
    cases: int
    chains: int
    projects: int


def _play_cases(cast: Cast) -> int:
    now = timezone.now()
    opened = 0
    for n, (gov, key, need, title, status) in enumerate(CASES):
        actor = cast.user(gov)
        start = now - dt.timedelta(days=12 - n)
        case = open_case(
            actor=actor, enterprise=cast.enterprises[key], need_type=need, title=title, now=start
        )
        opened += 1
        for step_number, step in enumerate(STEPS):
            if status == CaseStatus.RECEIVED or STEPS.index(status) < step_number:
                break
            team, departments = TEAMS[need]
            move_case(
                actor=actor,
                case=case,
                to=step,
                team=team,
                departments=departments,
                note=NOTES.get(step, ""),
                now=start + dt.timedelta(days=step_number + 1),
            )
        if status == CaseStatus.CLOSED and key == "LXF01":
            rate_case(actor=cast.user("laixi-admin"), case=case, rating=5, comment="响应很快。")
        log_contact(
            actor=actor,
            enterprise=cast.enterprises[key],
            kind=ContactKind.VISIT if n % 2 else ContactKind.CALL,
            happened_on=cast.today - dt.timedelta(days=10 - n),
            department=TEAMS[need][0],
            summary=title,
            case=case,
        )
    # One case from an at-risk alert of the Qingdao bureau's region, where there is one.
    qingdao = Region.objects.get(code="3702")
    alert = (
        Alert.objects.filter(
            enterprise__region__path__startswith=qingdao.path, status=AlertStatus.OPEN
        )
        .order_by("-month", "enterprise_id")
        .first()
    )
    if alert is not None:
        open_case(
            actor=cast.user("qingdao-gov"), enterprise=alert.enterprise, need_type=NeedType.OTHER,
            title="", alert=alert,
        )  # fmt: skip
        opened += 1
    return opened


def _play_chains(cast: Cast) -> dict[str, ChainLink]:
    links: dict[str, ChainLink] = {}
    for spec in CHAINS:
        actor = cast.user(spec.gov)
        chain = save_chain(
            actor=actor,
            name_zh=spec.name_zh,
            name_en=spec.name_en,
            region=Region.objects.get(code=spec.region),
            lead_official=spec.official,
            lead_official_title=spec.title,
            description=spec.name_en,
        )
        for position, (stage, zh, en, minimum, outside, keys) in enumerate(spec.links):
            links[en] = save_link(
                actor=actor,
                chain=chain,
                enterprises=[cast.enterprises[k] for k in keys],
                stage=stage,
                position=position,
                name_zh=zh,
                name_en=en,
                min_enterprises=minimum,
                sourced_outside=outside,
            )
    return links


def _play_projects(cast: Cast, links: dict[str, ChainLink]) -> int:
    for gov, region, name, investor, amount, link, stage in PROJECTS:
        actor = cast.user(gov)
        project = create_project(
            actor=actor,
            region=Region.objects.get(code=region),
            name=name,
            investor=investor,
            amount=Decimal(amount),
            currency="CNY",
            chain_link=links[link],
            official="招商局 " + ("王科长" if gov == "qingdao-gov" else "周科长"),
            description=f"补链项目：{links[link].name_zh}",
            commitments={"自然资源局": "保障用地", "商务局": "协调出口资质"},
        )
        for step in PROJECT_PATHS[stage]:
            update_project(
                actor=actor,
                project=project,
                stage=step,
                note="投资方未通过董事会审批。" if step == ProjectStage.DROPPED else "",
            )
    return len(PROJECTS)


def play_bureau(cast: Cast) -> BureauSummary:
    """Write the cases, chains and projects. Precondition: the demo figures and alerts exist
    and these stories have not been played yet."""
    cases = _play_cases(cast)
    links = _play_chains(cast)
    projects = _play_projects(cast, links)
    return BureauSummary(cases=cases, chains=len(CHAINS), projects=projects)


def chains_exist() -> bool:
    return IndustrialChain.objects.filter(name_zh__in=[c.name_zh for c in CHAINS]).exists()
