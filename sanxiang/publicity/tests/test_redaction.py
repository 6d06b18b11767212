"""Redaction on realistic decision texts: what is masked, what stays, and what is left for a person to judge."""

from sanxiang.core.identifiers import resident_id_check_character
from sanxiang.publicity import redaction
from sanxiang.testing.checks import refused

BODY = "23010319750315001"
VALID_ID = BODY + resident_id_check_character(BODY)
INVALID_ID = BODY + ("1" if VALID_ID[-1] != "1" else "2")

TEXT = (
    f"当事人：王建军，男，1975年3月15日出生，居民身份证号码：{VALID_ID}，住址：哈尔滨市南岗区学府路12号3单元401室，"
    "联系电话：13904511234。\n"
    "经查，2026年8月28日，当事人在自家院内焚烧废旧轮胎。证人李秀梅，女，现场目睹焚烧过程，李秀梅称当事人"
    f"连续三日焚烧。车辆登记编号{INVALID_ID}与本案无关。\n"
    "请于十五日内将罚款缴至指定账户，账号：6222 0212 3456 7890 123。\n"
    "如有疑问，请致电本机关 0451-86661234。"
)


def redacted(text=TEXT, **options):
    spans = redaction.detect(text, **options)
    return redaction.apply(text, [span.as_dict() for span in spans if span.sure]), spans


def test_a_valid_id_number_is_masked_and_an_invalid_one_is_left_for_a_person():
    public, spans = redacted(party_name="王建军", keep=("0451-86661234",))
    assert VALID_ID not in public and "*" * 18 in public
    assert INVALID_ID in public
    doubtful = [span for span in spans if not span.sure]
    assert len(doubtful) == 1 and TEXT[doubtful[0].start : doubtful[0].end] == INVALID_ID
    assert "校验码不符" in doubtful[0].note


def test_phone_numbers_bank_accounts_and_the_home_address_are_masked_the_agencys_phone_is_not():
    public, _spans = redacted(party_name="王建军", keep=("0451-86661234",))
    assert "13904511234" not in public and "*" * 11 in public
    assert "6222 0212 3456 7890 123" not in public
    assert "学府路12号" not in public and "住址：［已依法隐去］" in public
    assert "0451-86661234" in public


def test_other_natural_persons_are_reduced_to_their_surname_everywhere_and_the_party_keeps_its_name():
    public, _spans = redacted(party_name="王建军", keep=("0451-86661234",))
    assert "李秀梅" not in public and public.count("李某") == 2
    assert "当事人：王建军" in public


def test_a_company_decision_keeps_its_legal_representative_and_address():
    text = "当事人：哈尔滨北方精细化工有限公司\n法定代表人：孙建业\n地址：哈尔滨市松北区化工路18号\n负责人孙建业称设备检修。"
    public, _spans = redacted(text, keep=("孙建业",))
    assert public == text


def test_masks_that_overlap_are_joined_and_spans_outside_the_text_are_refused():
    merged = redaction.merge([redaction.Span(0, 5, "name"), redaction.Span(3, 8, "phone")])
    assert merged == [redaction.Span(0, 8, "name")]
    refused("bad_span", lambda: redaction.validate_spans("短文本", [{"start": 0, "end": 10, "kind": "manual"}]))
    refused("bad_span", lambda: redaction.validate_spans("短文本", [{"start": 0, "end": 2, "kind": "unknown"}]))
