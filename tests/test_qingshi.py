"""The 请示 draft (workbench.report.qingshi), written for the embedded sample and for a small intake
of one's own, read back with python-docx: the title and 主送 as GB/T 9704 lays them out, the
headline figures those of the plan, the attachments listed, every paragraph in one of the named
styles, the page and fonts of a 公文, page numbers, and a file that needs nothing outside itself."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import project, write_csv
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from workbench.english import english_sentences
from workbench.labels import LEVEL_CITY, QINGSHI_LABELS
from workbench.money import format_wan
from workbench.report.gongwen import STYLES
from workbench.report.qingshi import cited_articles, plan_title, write_qingshi
from workbench.report.summary import PlanSummary, plan_summary
from workbench.scenario import Scenario
from workbench.session import InputFiles, Session

Q = QINGSHI_LABELS
STYLE_NAMES = {Q[f"style_{role}"] for role in STYLES}
SECOND_ATTACHMENT = "鄂尔多斯市政务信息化项目年度计划编制说明"
CHOSEN = ("selected", "forced_in")


@pytest.fixture(scope="module")
def sample() -> tuple[Session, PlanSummary]:
    session = Session(InputFiles.sample())
    risk = session.risk(draws=500)
    return session, plan_summary(session.plan, session.check, risk=risk.table)


@pytest.fixture(scope="module")
def written(sample, tmp_path_factory) -> tuple[Path, list[str]]:
    _, summary = sample
    attachments = [plan_title(summary.plan_year), SECOND_ATTACHMENT]
    path = tmp_path_factory.mktemp("qingshi") / "请示.docx"
    assert write_qingshi(summary, path, attachments=attachments) == path
    return path, attachments


def body_text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def styled(doc, role: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == Q[f"style_{role}"]]


def test_title_and_addressee_open_the_draft(sample, written):
    _, summary = sample
    doc = Document(str(written[0]))
    title, addressee = doc.paragraphs[0], doc.paragraphs[1]
    year = summary.plan_year
    assert title.style.name == "公文标题"
    # two lines (GB/T 9704 7.3.3), which together are the title
    assert title.text.count("\n") == 1
    assert title.text.replace("\n", "") == (
        f"关于报送鄂尔多斯市{year}年度市本级政务信息化项目计划（草案）的请示"
    )
    assert title.alignment is None and title.style.paragraph_format.alignment == (
        WD_ALIGN_PARAGRAPH.CENTER
    )
    assert (addressee.style.name, addressee.text) == ("主送机关", "市人民政府：")
    assert doc.core_properties.title == title.text.replace("\n", "")
    assert "python-docx" not in (doc.core_properties.author + doc.core_properties.comments)


def test_the_figures_are_the_plans(sample, written):
    session, summary = sample
    text = body_text(Document(str(written[0])))
    projects = session.plan.projects
    chosen = projects[projects["status"].isin(CHOSEN)]
    # the summary is the plan's (counted here from the plan itself) …
    assert summary.selected == len(chosen) and summary.candidates == len(projects)
    assert summary.amount == sum(Decimal(str(a)) for a in chosen["amount"])
    # … and the draft says the summary's figures
    year = summary.plan_year
    assert (
        f"受理申报项目{summary.candidates}个，申请本年度资金{format_wan(summary.requested)}万元"
        in text
    )
    assert f"拟安排项目{summary.selected}个，{year}年度资金{format_wan(summary.amount)}万元" in text
    assert f"优先纳入{summary.forced}个、{format_wan(summary.forced_amount)}万元" in text
    city = summary.pool(LEVEL_CITY)
    assert city is not None and city.ceiling is not None
    assert f"{LEVEL_CITY}{year}年度政务信息化资金上限{format_wan(city.ceiling)}万元" in text
    assert f"拟安排{format_wan(city.planned)}万元" in text
    assert (
        f"不予安排{summary.excluded}个、申请资金{format_wan(summary.excluded_amount)}万元" in text
    )
    assert (
        f"未安排{summary.not_selected}个、申请资金{format_wan(summary.not_selected_amount)}万元"
        in text
    )
    for group in summary.left_out:
        assert f"{group.label}{group.count}个" in text
    # the basis: 第九条 and every article the summary's groups cite
    assert "《鄂尔多斯市政务信息化项目管理办法》" in text and "第九条" in text
    assert cited_articles(summary) and all(article in text for article in cited_articles(summary))
    assert summary.commitment_sentence in text
    assert summary.risk_sentences and all(s in text for s in summary.risk_sentences)
    assert "妥否，请批示。" in text


def test_attachments_are_listed_in_order(written):
    path, attachments = written
    listed = styled(Document(str(path)), "attachment")
    assert listed == [f"附件：1.{attachments[0]}", f"2.{attachments[1]}"]


def test_the_close_is_left_for_the_bureau(written):
    doc = Document(str(written[0]))
    assert "（单位印章）" in styled(doc, "signer")
    (date,) = styled(doc, "date")
    assert date.replace("　", "") == "年月日"  # the date is the bureau's to fill in
    (note,) = styled(doc, "note")
    assert "联系人" in note and "联系电话" in note
    # the 附注 stands under the date, last
    assert doc.paragraphs[-1].text == note and doc.paragraphs[-2].text == date


def test_every_paragraph_uses_a_named_style(written):
    doc = Document(str(written[0]))
    section = doc.sections[0]
    paragraphs = [
        *doc.paragraphs,
        *section.footer.paragraphs,
        *section.even_page_footer.paragraphs,
    ]
    used = {p.style.name for p in paragraphs}
    assert used <= STYLE_NAMES
    assert {"公文标题", "主送机关", "公文正文", "一级标题", "二级标题", "附件说明"} <= used
    for name in STYLE_NAMES:
        style = doc.styles[name]
        assert not style.builtin
        assert re.fullmatch(r"[A-Za-z0-9]+", style.style_id)  # ids WPS and Word both keep
    headings = styled(doc, "heading1")
    assert [h[:2] for h in headings] == ["一、", "二、", "三、"]
    assert all(re.match(r"（[一二三四五六七八九十]+）", h) for h in styled(doc, "heading2"))


def test_page_and_type_are_a_gongwen(written):
    doc = Document(str(written[0]))
    section = doc.sections[0]

    def near(length, expected) -> bool:
        return abs(length - expected) < Mm(0.1)

    assert near(section.page_width, Mm(210)) and near(section.page_height, Mm(297))
    assert near(section.top_margin, Mm(37)) and near(section.bottom_margin, Mm(35))
    assert near(section.left_margin, Mm(28)) and near(section.right_margin, Mm(26))
    body = doc.styles["公文正文"]
    assert body.font.size == Pt(16) and doc.styles["公文标题"].font.size == Pt(22)
    # 22 lines in the 225 mm 版心: fixed spacing of about 28.95 pt
    lines = (Mm(297) - Mm(37) - Mm(35)) / body.paragraph_format.line_spacing
    assert 21.5 < lines < 22.5
    # 段首空二字 as characters, so that it follows the size when restyled
    ind = body.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert doc.styles["主送机关"].paragraph_format.first_line_indent == 0


def test_fonts_are_set_as_east_asian_fonts(written):
    path = written[0]
    doc = Document(str(path))
    expected = {
        "公文标题": "方正小标宋简体",
        "公文正文": "仿宋_GB2312",
        "一级标题": "黑体",
        "二级标题": "楷体_GB2312",
    }
    for name in STYLE_NAMES:
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")), name
        if name in expected:
            assert fonts.get(qn("w:eastAsia")) == expected[name]
    with zipfile.ZipFile(path) as z:
        table = z.read("word/fontTable.xml").decode("utf-8")
    # fallbacks for machines without the 公文 fonts
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', table)
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="宋体"/>', table)


def test_page_numbers_are_fields_between_dashes(written):
    doc = Document(str(written[0]))
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer in (odd, even):
        assert footer.style.name == "页码"
        assert footer.text == "— 1 —"
        assert "PAGE" in "".join(t.text for t in footer._p.iter(qn("w:instrText")))
    assert odd.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_the_file_needs_nothing_outside_itself(written):
    path = written[0]
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        rels = [n for n in z.namelist() if n.endswith(".rels")]
        assert rels
        for name in rels:
            xml = z.read(name).decode("utf-8")
            assert 'TargetMode="External"' not in xml, name
            targets = re.findall(r'Target="([^"]*)"', xml)
            assert not [t for t in targets if "://" in t], name
        assert not [n for n in z.namelist() if "thumbnail" in n]  # no blank-page preview
    text = body_text(Document(str(path)))
    assert not english_sentences(text)
    assert "Decimal" not in text and "nan" not in text.lower()


def test_the_internal_edition_is_marked_and_says_the_same(sample, written, tmp_path):
    _, summary = sample
    path, attachments = written
    internal = write_qingshi(
        summary, tmp_path / "内部版.docx", attachments=attachments, internal=True
    )
    inside, outside = Document(str(internal)), Document(str(path))
    assert body_text(inside) == body_text(outside)
    section = inside.sections[0]
    for header in (section.header, section.even_page_header):
        (mark,) = header.paragraphs
        assert (mark.style.name, mark.text) == ("版本标记", Q["internal_mark"])
    assert not "".join(p.text for p in outside.sections[0].header.paragraphs)


def test_the_text_follows_another_plan(tmp_path):
    """A small intake of one's own with a tight 市本级 ceiling: one project forced in (第十一条),
    one out for want of pre-review (第八条), one left out for money; no risk table, no
    attachments given."""
    rows = [
        project(project_id="P1", unit="市民政局", domain="民政", request_amount="300"),
        project(
            project_id="P2",
            unit="市教育局",
            domain="教育",
            total_investment="400",
            request_amount="250",
        ),
        project(project_id="P3", unit="市民政局", domain="社区", pre_review="不通过"),
        project(
            project_id="P4",
            unit="市应急管理局",
            domain="应急",
            mandated="是",
            total_investment="80",
            request_amount="80",
        ),
    ]
    submissions = write_csv(tmp_path / "申报.csv", rows)
    ceiling = Decimal("400")
    scenario = Scenario(name="紧", plan_year=2027, ceilings={LEVEL_CITY: {2027: ceiling}})
    session = Session(InputFiles(submissions=(submissions,)), scenario=scenario)
    summary = plan_summary(session.plan, session.check)
    statuses = session.plan.projects.set_index("project_id")["status"].to_dict()
    assert statuses["P3"] == "excluded" and statuses["P4"] == "forced_in"
    assert "not_selected" in statuses.values()

    path = write_qingshi(summary, tmp_path / "请示.docx", attachments=[])
    doc = Document(str(path))
    text = body_text(doc)
    chosen = [pid for pid, status in statuses.items() if status in CHOSEN]
    assert f"拟安排项目{len(chosen)}个，2027年度资金{format_wan(summary.amount)}万元" in text
    assert f"资金上限{format_wan(ceiling)}万元" in text
    assert f"尚余{format_wan(ceiling - summary.amount)}万元" in text
    assert "第八条" in text and "第十一条" in text
    assert f"不予安排{summary.excluded}个" in text and f"未安排{summary.not_selected}个" in text
    assert not styled(doc, "attachment")  # none given, none listed
    assert Q["h_risk"] not in text  # no risk table, no risk section
    assert not english_sentences(text)
