"""What may be typed into the names of agencies, staff and parties: no control characters, and a 机关代字 of a few
Chinese characters only (it heads every document number)."""

import pytest
from django.core.exceptions import ValidationError

from sanxiang.agencies import services
from sanxiang.agencies.models import Agency, AgencyLevel, User
from sanxiang.cases.models import Party
from sanxiang.testing.cases import make_party
from sanxiang.testing.factories import PASSWORD, make_agency

BAD_ABBREVIATIONS = ["/../../../", "哈环/罚", "HB", "哈 环", "哈环罚决定书专用", "", "哈环\n"]
CONTROL = ["哈尔滨\x00市", "哈尔滨市\x1b[2J", "哈尔滨\u202e局", "王\u200b建国", "李\x7f明"]


@pytest.mark.parametrize("abbreviation", BAD_ABBREVIATIONS)
def test_an_agency_abbreviation_must_be_a_few_chinese_characters(world, abbreviation):
    with pytest.raises(ValidationError) as error:
        make_agency(parent=world.harbin, code="230104", level=AgencyLevel.COUNTY, abbreviation=abbreviation)
    assert "abbreviation" in error.value.message_dict
    assert not Agency.objects.filter(code="230104").exists()


def test_an_abbreviation_is_checked_when_it_is_changed_too(world):
    with pytest.raises(ValidationError) as error:
        services.agency_update(actor=None, agency=world.harbin, abbreviation="../../etc")
    assert "abbreviation" in error.value.message_dict
    world.harbin.refresh_from_db()
    assert world.harbin.abbreviation == "哈环"
    assert services.agency_update(actor=None, agency=world.harbin, abbreviation="哈市环").abbreviation == "哈市环"


@pytest.mark.parametrize("name", CONTROL)
def test_control_characters_are_refused_in_agency_names(world, name):
    with pytest.raises(ValidationError) as error:
        make_agency(parent=world.harbin, code="230104", level=AgencyLevel.COUNTY, name=name)
    assert "name" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.agency_update(actor=None, agency=world.harbin, name=name)


@pytest.mark.parametrize("name", CONTROL)
def test_control_characters_are_refused_in_staff_names(world, name):
    with pytest.raises(ValidationError) as error:
        services.staff_create(actor=None, agency=world.harbin, username="newcomer", full_name=name, password=PASSWORD)
    assert "full_name" in error.value.message_dict and not User.objects.filter(username="newcomer").exists()
    with pytest.raises(ValidationError):
        services.staff_update(actor=None, staff=world.people.officer, full_name=name)


@pytest.mark.parametrize("name", CONTROL)
def test_control_characters_are_refused_in_party_names(world, name):
    from sanxiang.cases import services as case_services

    count = Party.objects.count()
    with pytest.raises(ValidationError) as error:
        make_party(world.harbin, name=name)
    assert "name" in error.value.message_dict and Party.objects.count() == count
    party = make_party(world.harbin)
    with pytest.raises(ValidationError):
        case_services.party_correct(actor=None, party=party, reason="更正", legal_representative=name)


def test_ordinary_names_with_spaces_and_brackets_are_kept(world):
    party = make_party(world.harbin, name="哈尔滨市 示例（集团）有限公司·分公司")
    assert party.name == "哈尔滨市 示例（集团）有限公司·分公司"
