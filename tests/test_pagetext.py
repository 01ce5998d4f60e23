"""Sections for kesu's search index read from the engine's HTML (generator/pagetext.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write
from generator import pagetext
from generator.pagetext import location_of, page_sections, search_settings, site_pages, source_pages
from generator.search import terms_of

ARTICLE = ("article", "md-content__inner")


def page_html(body: str, title: str = "页 - 客诉知识库") -> str:
    return (f"<!doctype html><html><head><title>{title}</title></head><body>"
            f'<nav class="md-nav"><a href="/">首页导航</a></nav><div class="md-content">'
            f'<article class="md-content__inner md-typeset">{body}</article></div>'
            f"<footer>页脚文字</footer></body></html>")


def sections(body: str, **options) -> list[tuple[str, str, str]]:
    return [(s.anchor, s.title, s.text) for s in page_sections(page_html(body, **options), ARTICLE)]


PERMALINK = '<a class="headerlink" href="#{0}" title="Permanent link">&para;</a>'


def heading(level: int, anchor: str, text: str) -> str:
    return f'<h{level} id="{anchor}">{text}{PERMALINK.format(anchor)}</h{level}>'


def test_each_heading_with_an_id_starts_a_section_and_the_first_has_no_anchor():
    body = (heading(1, "_1", "商品质量问题") + "<p>顾客买到的商品有缺陷。</p>" + heading(2, "_2", "级别判断")
            + "<ul><li>一般投诉</li><li>重要投诉</li></ul><h4>无编号的小标题</h4><p>正文</p>" + heading(3, "ask", "“打开就是酸的。”"))
    assert sections(body) == [("", "商品质量问题", "顾客买到的商品有缺陷。"),
                              ("_2", "级别判断", "一般投诉 重要投诉 无编号的小标题 正文"),
                              ("ask", "“打开就是酸的。”", "")]


def test_only_the_article_is_read_and_the_permalink_sign_is_not_part_of_a_title():
    (section,) = page_sections(page_html(heading(1, "_1", "标题") + "<p>正文</p>"), ARTICLE)
    assert section.title == "标题" and "导航" not in section.text and "页脚" not in section.text


def test_text_before_the_first_heading_is_the_pages_own_section_titled_like_the_page():
    assert sections("<p>开头的话</p>" + heading(2, "a", "小节") + "<p>内容</p>", title="时限计算 - 客诉知识库") == [
        ("", "时限计算", "开头的话"), ("a", "小节", "内容")]
    assert sections(heading(2, "a", "小节"), title="客诉知识库") == [("", "客诉知识库", ""), ("a", "小节", "")]


def test_a_heading_inside_a_block_holds_its_text_until_the_block_ends():
    body = (heading(1, "_1", "页") + heading(2, "s", "外层") + "<p>之前</p>"
            + '<div class="admonition note"><p class="admonition-title">提示</p>' + heading(3, "in", "内层")
            + "<p>块内</p></div><p>块后</p>" + heading(2, "next", "下一节") + "<p>下文</p>")
    assert sections(body)[1:] == [("s", "外层", "之前 提示 块后"), ("in", "内层", "块内"), ("next", "下一节", "下文")]


def test_tabs_admonitions_and_details_are_text_with_their_labels_apart():
    body = (heading(1, "_1", "页") + '<div class="tabbed-set"><input id="t1" type="radio" checked><input id="t2" type="radio">'
            '<div class="tabbed-labels"><label for="t1">电话</label><label for="t2">当面</label></div>'
            '<div class="tabbed-content"><div class="tabbed-block"><p>电话里先致歉</p></div>'
            '<div class="tabbed-block"><p>当面先请坐</p></div></div></div>'
            '<div class="admonition failure"><p class="admonition-title">不要：推给厂家</p><p><strong>改为：</strong>先处理</p></div>'
            "<details><summary>查看数据</summary><p>三件</p></details>")
    assert sections(body)[0][2] == "电话 当面 电话里先致歉 当面先请坐 不要：推给厂家 改为：先处理 查看数据 三件"
    assert "话当" not in terms_of(sections(body)[0][2])


def test_table_cells_and_line_breaks_separate_words_and_inline_markup_does_not():
    body = (heading(1, "_1", "页") + "<table><thead><tr><th>类型</th><th>时限</th></tr></thead>"
            "<tbody><tr><td>退款</td><td>3天</td></tr></tbody></table>"
            "<p>请<strong>立即</strong>上报<br>负责：店长</p><p>输入 <code>kesu build</code> 即可</p>")
    text = sections(body)[0][2]
    assert text == "类型 时限 退款 3天 请立即上报 负责：店长 输入 kesu build 即可"
    assert "即上" in terms_of(text) and "报负" not in terms_of(text) and "型时" not in terms_of(text)


def test_code_blocks_are_text_and_their_whitespace_is_folded():
    body = heading(1, "_1", "页") + '<pre class="mermaid"><code>graph TD\n  A[受理] --&gt; B[调查]\n</code></pre>'
    assert sections(body)[0][2] == "graph TD A[受理] --> B[调查]"


def test_scripts_styles_buttons_hidden_controls_and_excluded_blocks_are_not_text():
    body = (heading(1, "_1", "页") + "<p>保留<button type=\"button\">复制</button></p><script>var x = '脚本'</script>"
            "<style>.a{}</style><form hidden><label>门店名称</label><input type=\"text\"></form>"
            '<svg><title>图表</title><text>服务态度差：3</text></svg><table data-search-exclude><tr><td>排除</td></tr></table>'
            '<p class="kesu-filter-empty" hidden>所选类型没有列出时限</p><table class="x kesu-search-exclude"><tr><td>也排除</td>'
            '</tr></table><p>也保留</p>')
    assert sections(body)[0][2] == "保留 也保留"


@pytest.mark.parametrize("wrapped", [False, True])
def test_a_script_stage_is_a_section_of_its_own_titled_by_its_data_title_and_label(wrapped):
    # type.md.j2 indents the stage's <div markdown> inside the tabs, so Markdown wraps it in <p>.
    open_, close = ("<p>", "</p>") if wrapped else ("", "")
    stage = (f'{open_}<div class="kesu-script" id="script-phone-opening" data-channel="phone" data-stage="opening" data-title="电话话术：" markdown>\n'
             f'<p class="kesu-stage">开场与安抚（4W1H）<button type="button" class="kesu-copy" hidden>复制</button></p>{close}\n'
             '<p><span class="kesu-slot" data-slot="称呼">&#123;称呼&#125;</span>您好，我来帮您查。</p>\n</div>\n')
    body = (heading(1, "_1", "类型") + heading(2, "_9", "话术") + "<p>说明文字</p>"
            + '<div class="tabbed-set"><div class="tabbed-labels"><label>电话</label></div>'
            + '<div class="tabbed-content"><div class="tabbed-block">' + stage + "</div></div></div>"
            + '<div class="kesu-script kesu-letter" id="letter-1"><p class="kesu-stage">主题：致歉信</p><p>信函正文</p></div>'
            + heading(2, "_10", "避免这样做") + "<p>不要</p>")
    found = page_sections(page_html(body), ARTICLE)
    assert [(s.anchor, s.title, s.text, s.title_indexed) for s in found] == [
        ("", "类型", "", True),
        ("_9", "话术", "说明文字 电话 主题：致歉信 信函正文", True),
        ("script-phone-opening", "电话话术：开场与安抚（4W1H）", "{称呼}您好，我来帮您查。", False),
        ("_10", "避免这样做", "不要", True)]


def test_hostile_text_stays_text():
    # What the renderer escaped comes back as the characters a reader sees, never as elements.
    body = (heading(1, "_1", "&lt;img src=x onerror=alert(1)&gt;")
            + "<p>&lt;script&gt;alert('x')&lt;/script&gt; &lt;/article&gt;&lt;h2 id=&quot;fake&quot;&gt;假标题</p>"
            + "<p>&amp;lt;已转义两次&amp;gt; javascript:alert(1)</p>")
    assert sections(body) == [("", "<img src=x onerror=alert(1)>", "<script>alert('x')</script> </article><h2 id=\"fake\">假标题 "
                                                                     "&lt;已转义两次&gt; javascript:alert(1)")]


def test_a_page_without_the_article_element_has_no_sections():
    assert page_sections("<html><body><p>正文</p></body></html>", ARTICLE) == []


@pytest.mark.parametrize("rel, location", [("index.md", ""), ("types/index.md", "types/"), ("types/x.md", "types/x/"),
                                           ("learn/README.md", "learn/"), ("a/b/c.md", "a/b/c/")])
def test_a_markdown_file_is_found_at_its_directory_url(rel, location):
    assert location_of(rel) == location


def test_pages_come_in_mkdocs_order_folders_index_first_then_files_then_subfolders(tmp_path):
    for rel in ["b.md", "index.md", "a.md", "cases/z.md", "cases/index.md", "cases/a.md", "learn/x.md",
                ".hidden/x.md", "assets/kesu.css"]:
        write(tmp_path, rel, "# 页\n")
    assert [location for location, _ in source_pages(tmp_path)] == [
        "", "a/", "b/", "cases/", "cases/a/", "cases/z/", "learn/x/"]


@pytest.mark.parametrize("markdown, settings", [
    ("---\ntitle: 甲\nsearch:\n  boost: 3\n---\n# 甲\n", {"boost": 3}),
    ("---\nsearch:\n  exclude: true\n---\n", {"exclude": True}),
    ("# 没有 front matter\n\nsearch: boost: 3\n", {}),
    ("---\nsearch: [\n---\n", {}),
    ("---\nsearch: 3\n---\n", {}),
])
def test_the_search_settings_come_from_the_front_matter(markdown, settings):
    assert search_settings(markdown) == settings


@pytest.fixture
def site(tmp_path) -> tuple[Path, Path]:
    docs, site = tmp_path / "docs", tmp_path / "site"
    write(docs, "index.md", "# 首页\n")
    write(docs, "types/x.md", "---\nsearch:\n  boost: 3\n---\n# 退款纠纷\n")
    write(docs, "callcards/x.md", "---\nsearch:\n  exclude: true\n---\n# 通话卡\n")
    write(docs, "cases/gone.md", "# 尚未构建\n")
    write(site, "index.html", page_html(heading(1, "_1", "首页") + "<p>欢迎</p>"))
    write(site, "types/x/index.html", page_html(heading(1, "_1", "退款纠纷") + "<p>顾客要求退款</p>"))
    write(site, "callcards/x/index.html", page_html(heading(1, "_1", "通话卡") + "<p>不进索引</p>"))
    write(site, "404/index.html", page_html(heading(1, "_1", "找不到") + "<p>不是文档页</p>"))
    return site, docs


def test_a_site_is_read_page_by_page_with_its_boost_and_without_excluded_pages(site):
    pages = site_pages(*site, ARTICLE)
    assert [(p.location, p.title, p.boost, [s.text for s in p.sections]) for p in pages] == [
        ("", "首页", 1.0, ["欢迎"]), ("types/x/", "退款纠纷", 3.0, ["顾客要求退款"])]


def test_with_a_cache_only_changed_pages_are_read_again(site, monkeypatch):
    site_dir, docs = site
    cache = site_dir / ".kesu-pagetext.json"
    first = site_pages(site_dir, docs, ARTICLE, cache)
    read = []
    real_read_page = pagetext.read_page
    monkeypatch.setattr(pagetext, "read_page", lambda location, *rest: read.append(location) or real_read_page(location, *rest))
    assert site_pages(site_dir, docs, ARTICLE, cache) == first and read == []
    write(site_dir, "types/x/index.html", page_html(heading(1, "_1", "退款纠纷") + "<p>顾客要求退款，已改</p>"))
    pages = site_pages(site_dir, docs, ARTICLE, cache)
    assert read == ["types/x/"] and pages[1].sections[0].text == "顾客要求退款，已改"
    (site_dir / "types/x/index.html").unlink()  # a page removed while serving
    assert [p.location for p in site_pages(site_dir, docs, ARTICLE, cache)] == [""]
