import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxiang.agencies import services
from sanxiang.agencies.models import Agency, AgencyLevel, Certificate, CertificateStatus, Role, User
from sanxiang.testing.factories import make_agency, make_certificate, make_staff, make_training

TODAY = dt.date(2026, 11, 26)


def entries(action, subject):
    from sanxiang.ledger.models import Entry

    return Entry.objects.filter(action=action, subject_type=subject._meta.label_lower, subject_id=str(subject.pk))


def test_a_certificate_moves_through_suspend_reinstate_renew_and_revoke(world):
    certificate = world.certificates.officer
    assert entries("certificate.issue", certificate).count() == 1
    certificate = services.certificate_suspend(actor=world.people.admin, certificate=certificate, reason="调查期间暂扣")
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.SUSPENDED
    services.certificate_reinstate(actor=world.people.admin, certificate=certificate, reason="调查结束")
    renewed = services.certificate_renew(
        actor=world.people.admin, certificate=certificate, expires_on=certificate.expires_on + dt.timedelta(days=365)
    )
    assert Certificate.objects.get(pk=certificate.pk).expires_on == renewed.expires_on
    services.certificate_revoke(actor=world.people.admin, certificate=certificate, reason="调离执法岗位")
    stored = Certificate.objects.get(pk=certificate.pk)
    assert stored.status == CertificateStatus.REVOKED and stored.status_reason == "调离执法岗位"
    for action in ("suspend", "reinstate", "renew", "revoke"):
        entry = entries(f"certificate.{action}", certificate).get()
        assert entry.actor == f"staff:{world.people.admin.pk}" and entry.public and entry.agency_code == "230100"


@pytest.mark.parametrize(
    ("first", "then"),
    [("revoke", "reinstate"), ("revoke", "suspend"), ("revoke", "renew"), ("suspend", "renew"), (None, "reinstate")],
)
def test_a_certificate_refuses_moves_its_status_does_not_allow(world, first, then):
    certificate = world.certificates.officer
    if first:
        getattr(services, f"certificate_{first}")(actor=None, certificate=certificate, reason="原因")
    before = Certificate.objects.get(pk=certificate.pk)
    kwargs = {"expires_on": before.expires_on + dt.timedelta(days=30)} if then == "renew" else {"reason": "原因"}
    with pytest.raises(ValidationError) as error:
        getattr(services, f"certificate_{then}")(actor=None, certificate=certificate, **kwargs)
    assert error.value.code == "invalid_transition"
    after = Certificate.objects.get(pk=certificate.pk)
    assert (after.status, after.expires_on, after.status_reason) == (
        before.status,
        before.expires_on,
        before.status_reason,
    )


def test_suspension_needs_a_reason(world):
    with pytest.raises(ValidationError):
        services.certificate_suspend(actor=None, certificate=world.certificates.officer, reason="  ")
    assert Certificate.objects.get(pk=world.certificates.officer.pk).status == CertificateStatus.VALID


def test_renewal_must_move_the_expiry_later(world):
    certificate = world.certificates.officer
    with pytest.raises(ValidationError):
        services.certificate_renew(actor=None, certificate=certificate, expires_on=certificate.expires_on)


def test_an_expired_certificate_reads_as_expired_and_can_be_renewed(world):
    certificate = make_certificate(
        holder=make_staff(agency=world.harbin, roles=[Role.OFFICER]),
        issued_on=dt.date(2020, 1, 1),
        expires_on=dt.date(2026, 1, 1),
    )
    assert certificate.status_on(TODAY) == CertificateStatus.EXPIRED
    assert not certificate.is_valid_on(TODAY)
    # held through last year: renewed only with last year's training hours on file
    last_year = timezone.localdate().year - 1
    make_training(
        officer=certificate.holder, ended_on=dt.date(last_year, 6, 30), hours="40", started_on=dt.date(last_year, 6, 26)
    )
    make_training(officer=certificate.holder, ended_on=dt.date(last_year, 10, 15), hours="20")
    services.certificate_renew(actor=None, certificate=certificate, expires_on=dt.date(2031, 1, 1))
    assert Certificate.objects.get(pk=certificate.pk).status_on(TODAY) == CertificateStatus.VALID


def test_a_certificate_number_cannot_be_registered_twice(world):
    other = make_staff(agency=world.harbin, roles=[Role.OFFICER])
    with pytest.raises(ValidationError) as error:
        make_certificate(holder=other, number=world.certificates.officer.number)
    assert "number" in error.value.error_dict
    assert not other.certificates.exists()


def test_an_officer_holds_one_live_certificate_per_domain(world):
    with pytest.raises(ValidationError):
        make_certificate(holder=world.people.officer)
    services.certificate_revoke(actor=None, certificate=world.certificates.officer, reason="吊销")
    assert make_certificate(holder=world.people.officer).status == CertificateStatus.VALID


def test_certificates_are_only_issued_to_officers(world):
    with pytest.raises(ValidationError) as error:
        make_certificate(holder=world.people.clerk)
    assert "holder" in error.value.error_dict
    assert not Certificate.objects.filter(holder=world.people.clerk).exists()


def test_expiry_must_follow_issue(world):
    holder = make_staff(agency=world.harbin, roles=[Role.OFFICER])
    with pytest.raises(ValidationError):
        make_certificate(holder=holder, issued_on=TODAY, expires_on=TODAY)


def test_an_agency_code_must_be_a_six_digit_division_code(world):
    for code in (" 230199", "2301/9", "23019", "abcdef"):
        with pytest.raises(ValidationError):
            make_agency(parent=world.harbin, code=code, level=AgencyLevel.COUNTY, uscc=world.daoli.uscc)
    assert not Agency.objects.filter(parent=world.harbin).exclude(pk=world.daoli.pk).exists()


def test_agency_levels_must_nest_province_city_county(world):
    with pytest.raises(ValidationError):
        make_agency(parent=world.daoli, code="230199", level=AgencyLevel.COUNTY)
    with pytest.raises(ValidationError):
        make_agency(parent=world.province, code="230198", level=AgencyLevel.COUNTY)
    with pytest.raises(ValidationError):
        make_agency(parent=world.harbin, code="230197", level=AgencyLevel.PROVINCE)
    assert not Agency.objects.filter(code__in=["230199", "230198", "230197"]).exists()


def test_an_agency_with_a_bad_credit_code_is_refused(world):
    with pytest.raises(ValidationError) as error:
        make_agency(parent=world.harbin, code="230104", uscc="11230104000000001X")
    assert error.value.message_dict["uscc"] == ["统一社会信用代码校验码不正确，请核对是否输错。"]
    assert not Agency.objects.filter(code="230104").exists()


def test_a_weak_password_leaves_no_account_behind(world):
    with pytest.raises(ValidationError) as error:
        make_staff(agency=world.harbin, username="weak", password="12345678")
    assert "password" in error.value.error_dict
    assert not User.objects.filter(username="weak").exists()


def test_an_unknown_role_leaves_no_account_behind(world):
    with pytest.raises(ValidationError):
        make_staff(agency=world.harbin, username="ghost", roles=["janitor"])
    assert not User.objects.filter(username="ghost").exists()


def test_roles_are_replaced_and_a_security_admin_cannot_remove_their_own(world):
    staff = services.staff_set_roles(
        actor=world.people.security, staff=world.people.clerk, roles=[Role.OFFICER, Role.HEAD]
    )
    assert staff.roles == {Role.OFFICER, Role.HEAD}
    entry = entries("staff.roles", staff).get()
    assert not entry.public and b'"roles":["head","officer"]' in bytes(entry.body)
    with pytest.raises(ValidationError):
        services.staff_set_roles(actor=world.people.security, staff=world.people.security, roles=[Role.OFFICER])
    assert User.objects.get(pk=world.people.security.pk).has_role(Role.SECURITY_ADMIN)


def test_passwords_are_stored_with_argon2(world):
    assert User.objects.get(pk=world.people.officer.pk).password.startswith("argon2$")
    from sanxiang import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_an_account_cannot_disable_itself(world):
    with pytest.raises(ValidationError):
        services.staff_set_active(actor=world.people.security, staff=world.people.security, active=False)
    services.staff_set_active(actor=world.people.security, staff=world.people.clerk, active=False)
    assert not User.objects.get(pk=world.people.clerk.pk).is_active
