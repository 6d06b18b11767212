import datetime as dt

from sanxiang.agencies import selectors
from sanxiang.agencies.models import Agency, Certificate, User


def codes(queryset):
    return sorted(agency.code for agency in queryset)


def test_the_province_sees_every_city_and_county(world):
    assert codes(Agency.objects.visible_to(world.people.province_admin)) == ["230000", "230100", "230102", "230200"]


def test_a_city_sees_itself_and_its_counties_only(world):
    assert codes(Agency.objects.visible_to(world.people.officer)) == ["230100", "230102"]


def test_a_county_sees_only_itself(world):
    assert codes(Agency.objects.visible_to(world.people.county_officer)) == ["230102"]


def test_staff_and_certificates_follow_the_agency_scope(world):
    harbin_view = set(User.objects.visible_to(world.people.officer).values_list("username", flat=True))
    assert "outsider" not in harbin_view and {"officer", "county"} <= harbin_view
    numbers = set(Certificate.objects.visible_to(world.people.outsider).values_list("number", flat=True))
    assert numbers == {world.certificates.outsider.number}


def test_an_inactive_account_sees_nothing(world):
    world.people.officer.is_active = False
    assert not Agency.objects.visible_to(world.people.officer).exists()


def test_expiring_certificates_are_those_of_the_users_scope(world):
    today = dt.date.today()
    soon = selectors.certificates_expiring(user=world.people.head, today=today, within_days=60)
    assert not soon.exists()
    later = selectors.certificates_expiring(user=world.people.head, today=today, within_days=800)
    assert {c.number for c in later} == {
        world.certificates.officer.number,
        world.certificates.partner.number,
        world.certificates.county.number,
    }
