"""The Traditional edition's converter and its settings file (cases/editions/zh-Hant.yml)."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from conftest import REPO, write
from generator.cli import main
from generator.edition import (EDITION_FILE, MarkdownConverter, edition_for, edition_settings,
                               traditional_edition)
from generator.load import load_project
from generator.problems import SourceErrors

TW = edition_for("zh-Hant", "tw")
HK = edition_for("zh-Hant", "hk")


def convert(markdown: str, edition=TW) -> str:
    return MarkdownConverter(edition).convert(markdown)


def test_prose_is_converted_with_taiwan_vocabulary_or_hong_kong_characters():
    assert convert("软件 信息 视频") == "軟體 資訊 影片"
    assert convert("软件 信息 视频", HK) == "軟件 信息 視頻"
    assert convert("# 快递遗失\n\n- 顾客说**态度**不好") == "# 快遞遺失\n\n- 顧客說**態度**不好"


def test_the_edition_sets_opencc_theme_language_and_prefix():
    assert (TW.opencc_config, TW.theme_language, TW.prefix) == ("s2twp", "zh-TW", "zh-Hant/")
    assert (HK.opencc_config, HK.theme_language) == ("s2hk", "zh-Hant")
    assert not edition_for("zh-Hans").converts
    with pytest.raises(ValueError, match="unknown edition 'zh-TW'"):
        edition_for("zh-TW")


@pytest.mark.parametrize("markdown, kept", [
    ("[说明](../types/快递/#锚点)", "(../types/快递/#锚点)"),                 # link target, anchor included
    ("[说明]: ../cases/?channel=电话", "../cases/?channel=电话"),            # reference definition
    ("<https://例子.cn/软件>", "<https://例子.cn/软件>"),                    # autolink
    ("见 https://例子.cn/信息?a=电话 。", "https://例子.cn/信息?a=电话"),     # bare URL
    ("`channel: 电话`", "`channel: 电话`"),                                  # code span: what a source holds
    ("```bash\necho 信息\n```", "```bash\necho 信息\n```"),             # code block
    ("<!-- 信息 -->", "<!-- 信息 -->"),                                      # comment
    ('<a href="?severity=重大&channel=电话" id="锚点" data-channel="电话">信息</a>',
     '<a href="?severity=重大&channel=电话" id="锚点" data-channel="电话">'),  # machine attribute values
    ('<option value="书面/网络">书面/网络</option>', '<option value="书面/网络">書面/網路</option>'),
    ("## 信息 { #信息 }", "## 資訊 { #信息 }"),
])
def test_urls_targets_ids_code_and_machine_values_are_kept(markdown, kept):
    converted = convert(f"顾客信息\n\n{markdown}\n\n顾客信息")
    assert converted.startswith("顧客資訊\n\n") and converted.endswith("\n\n顧客資訊")
    assert kept in converted


def test_visible_attributes_and_yaml_comments_and_mermaid_labels_are_converted():
    page = ('<form aria-label="填写顾客信息"><input placeholder="例如软件" title="信息"></form>\n\n'
            "```yaml\nchannel: 电话   # 渠道信息\n```\n\n```mermaid\ngraph TD\n  A[受理信息] --> B{判断}\n```\n")
    assert convert(page) == ('<form aria-label="填寫顧客資訊"><input placeholder="例如軟體" title="資訊"></form>\n\n'
                             "```yaml\nchannel: 电话   # 渠道資訊\n```\n\n```mermaid\ngraph TD\n  A[受理資訊] --> B{判斷}\n```\n")


def test_a_source_cannot_forge_a_token_to_repeat_a_protected_piece():
    forged = "\ue000\ue010\ue001"
    assert convert(f'<div markdown>信息 {forged}</div>') == f'<div markdown>資訊 {forged}</div>'


def test_front_matter_keys_are_kept_and_values_converted():
    assert convert("---\ntitle: 软件信息\nsearch:\n  boost: 2\n---\n正文") == \
        "---\ntitle: 軟體資訊\nsearch:\n  boost: 2\n---\n正文"


def test_a_placeholder_reads_the_same_in_the_script_the_slot_and_the_form():
    page = ('<label for="kesu-slot-1">客户称呼</label><input id="kesu-slot-1" data-slot="客户称呼">\n'
            "您好，{客户称呼|您}！请问{客户称呼}的快递单号是？"
            '<span class="kesu-slot" data-slot="客户称呼" data-fallback="快递公司">&#123;客户称呼&#125;</span>')
    converted = convert(page)
    names = set(re.findall(r'data-slot="([^"]*)"', converted)) | set(re.findall(r"(?:\{|&#123;)([^|}&]+)", converted))
    assert names == {"客戶稱呼"}
    assert '<label for="kesu-slot-1">客戶稱呼</label>' in converted
    assert 'data-fallback="快遞公司"' in converted and "{客戶稱呼|您}" in converted


def test_region_terms_win_over_opencc_and_numbers_match_whole():
    edition = edition_for("zh-Hant", "tw", {"消协": "消基會", "12315": "1950", "类型": "類型"})
    assert convert("去消协或打 12315，不是 123150；投诉类型", edition) == "去消基會或打 1950，不是 123150；投訴類型"
    assert convert("[消协](../x/消协/)", edition) == "[消基會](../x/消协/)"


def test_the_shipped_edition_file_is_valid_and_states_the_local_bodies():
    edition = traditional_edition(REPO)
    assert edition.region == "tw"
    assert edition.terms["消协"] == "消基會" and edition.terms["12315"] == "1950"
    hk = edition_settings(REPO)[0].terms.hk
    assert hk["消协"] == "消委會" and "12315" not in hk  # 1823 is not a consumer-complaint line


@pytest.mark.parametrize("simplified, taiwan", [
    ("请先保存好病历和票据", "請先保存好病歷和票據"),        # s2twp alone: 儲存
    ("对方收到打开是空盒子", "對方收到打開是空盒子"),        # 開啟
    ("立即挂断电话", "立即掛斷電話"),                        # 結束通話
    ("走法律程序，或在会员小程序里留言", "走法律程序，或在會員小程式裡留言"),  # 程式 for both
    ("投诉对象是门店", "投訴對象是門店"),                    # 物件
    ("燃气管接口漏水，电梯恢复运行", "燃氣管接口漏水，電梯恢復運轉"),  # 介面, 執行
    ("食品添加剂超标，机油溢出，局部锈蚀", "食品添加劑超標，機油溢出，局部鏽蝕"),
    ("声明价值低于实际价值", "聲明價值低於實際價值"),        # 宣告
])
def test_the_taiwan_edition_keeps_complaint_words_that_opencc_reads_as_computer_terms(simplified, taiwan):
    assert convert(simplified, traditional_edition(REPO)) == taiwan


GOOD = "region: tw\nterms:\n  tw:\n    消协: 消基會\n  hk:\n    消协: 消委會\n"


@pytest.mark.parametrize("old, new, message", [
    ("region: tw", "region: cn", "1: field 'region': expected one of tw, hk, got 'cn'"),
    ("region: tw", "regoin: tw", "1: field 'regoin': unknown field; did you mean 'region'?"),
    ("region: tw", "region: 台湾", "1: field 'region': expected one of tw, hk, got '台湾'; did you mean 'tw'?"),
    ("region: tw", "region: HK", "1: field 'region': expected one of tw, hk, got 'HK'; did you mean 'hk'?"),
    ("    消协: 消基會\n  hk", "    消协：消基會\n  hk", "3: field 'terms.tw': expected a mapping of fields, got text "
                                                "'消协：消基會'; write an ASCII colon and a space after '消协' ('消协: ...')"),
    ("  hk:", "  mo:", "5: field 'terms.mo': unknown field"),
    ("    消协: 消基會\n  hk", "    消协: ''\n  hk", "4: field 'terms.tw.消协': must not be empty"),
    ("    消协: 消基會\n  hk", "    消协:\n  hk", "4: field 'terms.tw.消协': expected text, got an empty value"),
    ("    消协: 消基會\n  hk", "    消协: 消基会\n  hk",
     "4: field 'terms.tw.消协': '消基会' has Simplified characters (会); write the tw term in Traditional characters"),
    (GOOD, "- tw\n", "1: expected a mapping of fields at the top level (region, terms)"),
])
def test_each_mistake_in_the_edition_file_is_one_line_with_its_line(fixture_project, old, new, message):
    write(fixture_project, EDITION_FILE, GOOD.replace(old, new, 1))
    with pytest.raises(SourceErrors) as caught:
        load_project(fixture_project)
    assert [str(p) for p in caught.value.problems] == [f"{EDITION_FILE}:{message}"]


def test_kesu_check_reports_a_bad_region(fixture_project, in_dir):
    in_dir(fixture_project)
    write(fixture_project, EDITION_FILE, "region: taiwan\n")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == \
        f"{EDITION_FILE}:1: field 'region': expected one of tw, hk, got 'taiwan'; did you mean 'tw'?"


def test_a_project_without_the_file_gets_taiwan_conventions(fixture_project):
    assert traditional_edition(fixture_project).region == "tw"
    assert traditional_edition(fixture_project).terms == {}


def test_the_docs_copy_is_converted_once_and_then_only_where_docs_changed(tmp_path):
    import os

    from generator.edition_build import DocsConverter

    docs, copy = tmp_path / "docs", tmp_path / "copy"
    write(docs, "index.md", "# 快递遗失\n")
    write(docs, "assets/kesu-strings.js", 'window.KESU_STRINGS = {"copy.done": "已复制"};\n')
    write(docs, "assets/logo.png", b"\x89PNG")
    converter = DocsConverter(docs, copy, TW)
    assert converter.sync() == ["assets/kesu-strings.js", "assets/logo.png", "index.md"]
    assert (copy / "index.md").read_text(encoding="utf-8") == "# 快遞遺失\n"
    assert (copy / "assets/kesu-strings.js").read_text(encoding="utf-8") == 'window.KESU_STRINGS = {"copy.done": "已複製"};\n'
    assert (copy / "assets/logo.png").read_bytes() == b"\x89PNG"
    assert converter.sync() == []
    # (a new length and an explicit time: file times may not move within a clock tick)
    write(docs, "index.md", "# 态度很不好\n")
    os.utime(docs / "assets/logo.png", ns=(10**9, 10**9))  # touched, the same bytes: copied again
    assert converter.sync() == ["assets/logo.png", "index.md"]
    assert (copy / "index.md").read_text(encoding="utf-8") == "# 態度很不好\n"
    (docs / "index.md").unlink()
    assert converter.sync() == ["index.md"]
    assert not (copy / "index.md").exists()
