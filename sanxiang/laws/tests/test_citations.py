"""Finding citations in text: which law, which version its brackets name, which articles, and where each stands."""

from sanxiang.laws.citations import find_citations


def _read(text):
    return [(found.name, found.version, found.numbers) for found in find_citations(text)]


def test_a_citation_names_its_law_and_articles_joined_by_enumeration_commas():
    assert _read("依照《行政处罚法》第五十一条、第六十三条处理") == [("行政处罚法", "", [51, 63])]


def test_several_citations_in_one_text_each_keep_their_own_law():
    assert _read("《行政处罚法》第四十二条；《行政强制法》第十八条") == [
        ("行政处罚法", "", [42]),
        ("行政强制法", "", [18]),
    ]


def test_a_range_names_every_article_in_it():
    assert _read("《环境行政处罚办法》（2010）第六十七条至第七十条")[0][2] == [67, 68, 69, 70]


def test_paragraphs_and_items_belong_to_their_article_and_are_no_articles():
    assert _read("《固体废物污染环境防治法》第一百零二条第九项至第十一项")[0][2] == [102]
    assert _read("《行政处罚法》第六十四条第一项、第八十五条")[0][2] == [64, 85]
    assert _read("《环境影响评价法》第三十一条第一款、第二款")[0][2] == [31]


def test_brackets_before_the_articles_name_the_version():
    assert _read("《生态环境行政处罚办法》（部令第30号）第十八条") == [("生态环境行政处罚办法", "部令第30号", [18])]


def test_brackets_after_the_articles_name_the_version_only_when_they_give_a_year_or_an_order_number():
    found = find_citations("《全国年节及纪念日放假办法》第二条（国务院令第644号修订，2014年1月1日起施行）")[0]
    assert found.order_numbers == {"第644号"} and found.years == {2014}
    remark = find_citations("《行政处罚法》第四十八条、第八十五条（“三日”指工作日）")[0]
    assert remark.version == "" and remark.end == len("《行政处罚法》第四十八条、第八十五条")


def test_a_bare_title_is_a_citation_of_the_law_without_articles():
    assert _read("依照《民事诉讼法》的有关规定送达") == [("民事诉讼法", "", [])]


def test_each_article_spans_its_own_words_and_the_first_carries_the_law():
    text = "见《行政处罚法》第五十一条、第六十三条第一项。"
    found = find_citations(text)[0]
    assert text[found.start : found.end] == "《行政处罚法》第五十一条、第六十三条第一项"
    assert [text[article.start : article.end] for article in found.articles] == ["第五十一条", "第六十三条第一项"]


def test_no_citation_spans_a_tag_or_a_line():
    assert _read('《见 <a href="http://x.cn">x</a>》第一条') == []
    assert _read("《行政处罚法\n》第一条") == []
