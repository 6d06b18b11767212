"""Demo agencies and people: the Heilongjiang department, its 13 city bureaus, some county branches and staff.

Agency names are those of the real public bodies; every person, certificate number and credit code is fictional.
"""

from __future__ import annotations

import base64
import datetime as dt
from contextlib import contextmanager
from unittest import mock

from django.contrib.auth.hashers import make_password
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanxiang.agencies import services
from sanxiang.agencies.models import Agency, AgencyLevel, Certificate, EnforcementDomain, ReviewPost, Role, User
from sanxiang.demo.codes import demo_uscc

DEMO_PASSWORD = "sanxiang-demo-2026"
# Every demo account's authenticator has this one published seed (base32), so a newcomer logs in within a minute:
# add it to any TOTP app, or print the current code with `sanxiang demo --code`. Never a real account's seed.
DEMO_TOTP_SEED = "SANXIANGDEMOSEED"


def demo_code() -> str:
    """The demo accounts' current 6-digit code."""
    return f"{TOTP(base64.b32decode(DEMO_TOTP_SEED)).token():06d}"


PROVINCE = ("230000", "黑龙江省生态环境厅", "黑环", "哈尔滨市南岗区汉水路 168 号")
CITIES = [
    ("230100", "哈尔滨市生态环境局", "哈环", "哈尔滨市松北区世纪大道 1 号"),
    ("230200", "齐齐哈尔市生态环境局", "齐环", "齐齐哈尔市龙沙区卜奎大街 55 号"),
    ("230300", "鸡西市生态环境局", "鸡环", "鸡西市鸡冠区中心大街 90 号"),
    ("230400", "鹤岗市生态环境局", "鹤环", "鹤岗市向阳区红军路 12 号"),
    ("230500", "双鸭山市生态环境局", "双环", "双鸭山市尖山区新兴大街 30 号"),
    ("230600", "大庆市生态环境局", "庆环", "大庆市萨尔图区东风路 8 号"),
    ("230700", "伊春市生态环境局", "伊环", "伊春市伊美区新兴中大街 21 号"),
    ("230800", "佳木斯市生态环境局", "佳环", "佳木斯市前进区长安路 66 号"),
    ("230900", "七台河市生态环境局", "七环", "七台河市桃山区山湖路 18 号"),
    ("231000", "牡丹江市生态环境局", "牡环", "牡丹江市东安区太平路 120 号"),
    ("231100", "黑河市生态环境局", "黑河环", "黑河市爱辉区通江路 45 号"),
    ("231200", "绥化市生态环境局", "绥环", "绥化市北林区中直路 99 号"),
    ("232700", "大兴安岭地区生态环境局", "兴环", "大兴安岭地区加格达奇区人民路 7 号"),
]
COUNTIES = [
    ("230100", "230102", "哈尔滨市生态环境局道里分局", "哈环道", "哈尔滨市道里区安静街 20 号"),
    ("230100", "230103", "哈尔滨市生态环境局南岗分局", "哈环南", "哈尔滨市南岗区学府路 36 号"),
    ("230100", "230110", "哈尔滨市生态环境局香坊分局", "哈环香", "哈尔滨市香坊区红旗大街 180 号"),
    ("230100", "230113", "哈尔滨市生态环境局双城分局", "哈环双", "哈尔滨市双城区承旭大街 5 号"),
    ("230200", "230202", "齐齐哈尔市生态环境局龙沙分局", "齐环龙", "齐齐哈尔市龙沙区建华路 9 号"),
    ("230600", "230602", "大庆市生态环境局萨尔图分局", "庆环萨", "大庆市萨尔图区中七路 31 号"),
    ("230600", "230604", "大庆市生态环境局让胡路分局", "庆环让", "大庆市让胡路区西宾路 15 号"),
    ("231000", "231081", "牡丹江市生态环境局绥芬河分局", "牡环绥", "绥芬河市通天路 77 号"),
]

# What each agency's decisions name (docs/domain.md §17). 复议机关: the people's government at the agency's level
# (《行政复议法》（2023）第二十四条); a city bureau's district branch (派出机构) also the government of its district;
# 大兴安岭 is a 地区 whose 行政公署 stands for a city government. Court: where the agency sits
# (《行政诉讼法》第十八条); from 2022/2023 the railway transport courts of 哈尔滨, 齐齐哈尔, 牡丹江 and 佳木斯 hear the
# first-instance administrative cases of their cities' basic courts (黑龙江省高级人民法院公告, read in a reprint), the
# other places keep the basic court of the district. Demo data: every real agency enters its own.
COURTS = {
    "230000": "哈尔滨铁路运输法院",
    "230100": "哈尔滨铁路运输法院",
    "230200": "齐齐哈尔铁路运输法院",
    "230300": "鸡西市鸡冠区人民法院",
    "230400": "鹤岗市向阳区人民法院",
    "230500": "双鸭山市尖山区人民法院",
    "230600": "大庆市萨尔图区人民法院",
    "230700": "伊春市伊美区人民法院",
    "230800": "佳木斯铁路运输法院",
    "230900": "七台河市桃山区人民法院",
    "231000": "牡丹江铁路运输法院",
    "231100": "黑河市爱辉区人民法院",
    "231200": "绥化市北林区人民法院",
    "232700": "加格达奇区人民法院",
    "230102": "哈尔滨铁路运输法院",
    "230103": "哈尔滨铁路运输法院",
    "230110": "哈尔滨铁路运输法院",
    "230113": "哈尔滨铁路运输法院",
    "230202": "齐齐哈尔铁路运输法院",
    "230602": "大庆市萨尔图区人民法院",
    "230604": "大庆市让胡路区人民法院",
    "231081": "牡丹江铁路运输法院",
}
# The government of a branch's own district, besides the city's.
DISTRICTS = {
    "230102": "哈尔滨市道里区人民政府",
    "230103": "哈尔滨市南岗区人民政府",
    "230110": "哈尔滨市香坊区人民政府",
    "230113": "哈尔滨市双城区人民政府",
    "230202": "齐齐哈尔市龙沙区人民政府",
    "230602": "大庆市萨尔图区人民政府",
    "230604": "大庆市让胡路区人民政府",
    "231081": "绥芬河市人民政府",
}
E_PAYMENT = "通过黑龙江省非税收入电子缴款系统，凭《非税收入缴款通知书》上的缴款码，在代理银行柜台、网上银行或者手机银行缴纳（演示数据）"
HARBIN_ACCOUNT = {
    "payment_bank": "中国工商银行哈尔滨分行营业部",
    "payment_account_name": "哈尔滨市财政局非税收入汇缴结算户",
    "payment_account_number": "3500 0000 0000 0000 001",
}


def decision_details(agency: Agency) -> dict:
    """The demo values of what `agency`'s decisions name."""
    city = agency if agency.level != AgencyLevel.COUNTY else agency.parent
    government = (
        "黑龙江省人民政府" if agency.level == AgencyLevel.PROVINCE else city.name.replace("生态环境局", "人民政府")
    )
    if city.code == "232700":
        government = "大兴安岭地区行政公署"
    if agency.code in DISTRICTS:
        government = f"{government}或者{DISTRICTS[agency.code]}"
    account = HARBIN_ACCOUNT if agency.code == "230100" else {}
    return {"reconsideration_body": government, "court": COURTS[agency.code], "payment_online": E_PAYMENT, **account}


# (username, full name, agency code, roles, job title, legal qualification)
STAFF = [
    ("hlj.admin", "郑海峰", "230000", [Role.ADMIN], "信息中心工程师", False),
    ("hlj.security", "魏春林", "230000", [Role.SECURITY_ADMIN], "信息中心网络安全专员", False),
    ("hlj.auditor", "秦淑媛", "230000", [Role.AUDIT_ADMIN], "机关纪委审计专员", False),
    ("hlj.head", "高振东", "230000", [Role.HEAD], "副厅长", False),
    ("hlj.reviewer", "沈若兰", "230000", [Role.REVIEWER], "法规处四级调研员", True),
    ("hlj.officer", "韩立新", "230000", [Role.OFFICER], "执法局一级主任科员", False),
    ("hlj.officer2", "马骏", "230000", [Role.OFFICER], "执法局四级主任科员", False),
    ("hlj.supervisor", "林静", "230000", [Role.SUPERVISOR], "法规处执法监督科科长", False),
    ("hrb.admin", "宋嘉怡", "230100", [Role.ADMIN], "办公室信息员", False),
    ("hrb.security", "潘志远", "230100", [Role.SECURITY_ADMIN], "办公室网络安全员", False),
    ("hrb.auditor", "陆婉清", "230100", [Role.AUDIT_ADMIN], "办公室审计员", False),
    ("hrb.head", "王建国", "230100", [Role.HEAD], "局长", False),
    ("hrb.reviewer", "陈思远", "230100", [Role.REVIEWER], "法制审核岗", True),
    ("hrb.counsel", "周雅琴", "230100", [Role.REVIEWER], "市司法局派驻公职律师", True),
    ("hrb.clerk", "周晓燕", "230100", [Role.PUBLICITY_CLERK], "政务公开专员", False),
    ("hrb.officer1", "李明", "230100", [Role.OFFICER], "执法支队一大队大队长", False),
    ("hrb.officer2", "张丽华", "230100", [Role.OFFICER], "执法支队一大队队员", False),
    ("hrb.officer3", "刘洋", "230100", [Role.OFFICER], "执法支队二大队队员", False),
    ("hrb.officer4", "赵磊", "230100", [Role.OFFICER], "执法支队二大队队员", False),
    ("hrb.officer5", "孙伟", "230100", [Role.OFFICER], "执法支队三大队队员", False),
    ("hrb.officer6", "吴刚", "230100", [Role.OFFICER], "执法支队三大队队员", False),
    ("hrbdl.officer1", "冯涛", "230102", [Role.OFFICER], "道里分局执法队员", False),
    ("hrbdl.officer2", "何雪", "230102", [Role.OFFICER], "道里分局执法队员", False),
    ("hrbnq.officer1", "杨帆", "230103", [Role.OFFICER, Role.HEAD], "南岗分局局长", False),
    ("qqhr.admin", "马丽", "230200", [Role.ADMIN], "办公室信息员", False),
    ("qqhr.security", "田宏伟", "230200", [Role.SECURITY_ADMIN], "办公室网络安全员", False),
    ("qqhr.auditor", "严秋菊", "230200", [Role.AUDIT_ADMIN], "办公室审计员", False),
    ("qqhr.head", "郭长春", "230200", [Role.HEAD], "局长", False),
    ("qqhr.reviewer", "林雨桐", "230200", [Role.REVIEWER], "法规科科长", False),
    ("qqhr.clerk", "韩雪梅", "230200", [Role.PUBLICITY_CLERK], "政务公开专员", False),
    ("qqhr.officer1", "高峰", "230200", [Role.OFFICER], "执法支队队员", False),
    ("qqhr.officer2", "罗佳琪", "230200", [Role.OFFICER], "执法支队队员", False),
    ("dq.head", "许国栋", "230600", [Role.HEAD], "局长", False),
    ("dq.reviewer", "白露", "230600", [Role.REVIEWER], "法制审核岗", True),
    ("dq.clerk", "孟凡宇", "230600", [Role.PUBLICITY_CLERK], "政务公开专员", False),
    ("dq.officer1", "蒋文博", "230600", [Role.OFFICER], "执法支队队员", False),
    ("dq.officer2", "唐淑芬", "230600", [Role.OFFICER], "执法支队队员", False),
    ("mdj.head", "范志刚", "231000", [Role.HEAD], "局长", False),
    ("mdj.officer1", "曹永胜", "231000", [Role.OFFICER], "执法支队队员", False),
    ("mdj.officer2", "邓晓光", "231000", [Role.OFFICER], "执法支队队员", False),
]

# Where each reviewer sits and since when they review: 林雨桐 has reviewed since before the 2021 law and so keeps
# reviewing without the 法律职业资格 (《行政处罚法》第五十八条 only binds first-time reviewers).
REVIEWERS = {
    "hlj.reviewer": (ReviewPost.LEGAL_UNIT, dt.date(2015, 9, 1)),
    "hrb.reviewer": (ReviewPost.REVIEW_POST, dt.date(2019, 12, 1)),
    "hrb.counsel": (ReviewPost.PUBLIC_LAWYER, dt.date(2022, 4, 1)),
    "qqhr.reviewer": (ReviewPost.LEGAL_UNIT, dt.date(2018, 3, 1)),
    "dq.reviewer": (ReviewPost.REVIEW_POST, dt.date(2020, 6, 1)),
}

# (holder, serial, issued years before today, expires days from today, final status, reason)
CERTIFICATES = [
    ("hlj.officer", 1, 2, 900, "valid", ""),
    ("hlj.officer2", 2, 1, 820, "valid", ""),
    ("hrb.officer1", 1, 3, 700, "valid", ""),
    ("hrb.officer2", 2, 3, 45, "valid", ""),
    ("hrb.officer3", 3, 2, 800, "valid", ""),
    ("hrb.officer4", 4, 4, 20, "valid", ""),
    ("hrb.officer5", 5, 2, 600, "suspended", "涉嫌违反执法纪律，调查期间暂扣"),
    ("hrb.officer6", 6, 5, 400, "revoked", "离开执法岗位，依规收回并吊销"),
    ("hrbdl.officer1", 1, 1, 1000, "valid", ""),
    ("hrbdl.officer2", 2, 5, -12, "valid", ""),
    ("hrbnq.officer1", 1, 2, 750, "valid", ""),
    ("qqhr.officer1", 1, 2, 650, "valid", ""),
    ("qqhr.officer2", 2, 1, 58, "valid", ""),
    ("dq.officer1", 1, 3, 500, "valid", ""),
    ("dq.officer2", 2, 3, 520, "valid", ""),
    ("mdj.officer1", 1, 2, 480, "valid", ""),
    ("mdj.officer2", 2, 2, 30, "valid", ""),
]

WINDOWS = {
    "230000": dict(
        name="省政务服务中心生态环境厅窗口",
        location="哈尔滨市松北区世纪大道 1 号 省政务服务中心二楼 B 区",
        opening_hours="工作日 9:00—12:00，13:30—17:00",
        posts="受理岗：接收建设项目环评、排污许可等申请材料，一次性告知补正内容\n审核岗：审查申请材料并提出办理意见\n咨询岗：解答办事咨询",
        sample_forms="建设项目环境影响报告书（表）审批申请表（示范文本）\n排污许可证申请表（示范文本）",
        progress_query="黑龙江政务服务网“办件查询”，或拨打窗口电话 0451-8xxxxxx1",
        consultation="窗口现场咨询，电话 0451-8xxxxxx2",
        complaint="12345 政务服务便民热线；12369 环保举报热线；省生态环境厅机关纪委",
    ),
    "230100": dict(
        name="哈尔滨市生态环境局行政审批窗口",
        location="哈尔滨市松北区世纪大道 1 号 市民大厦一楼 12 号窗口",
        opening_hours="工作日 8:30—12:00，13:00—17:00",
        posts="受理岗：接收申请材料，出具受理回执\n审批岗：审查并提出审批意见\n执法投诉受理岗：登记群众来访、投诉",
        sample_forms="排污许可证申请表（示范文本）\n建设项目环境影响登记表（示范文本）",
        progress_query="哈尔滨市政务服务网“办件进度”",
        consultation="窗口现场咨询，电话 0451-8xxxxxx3",
        complaint="12345 市民热线；12369 环保举报热线",
    ),
}


def load_agencies(*, today: dt.date) -> dict[str, Agency]:
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    code, name, abbreviation, address = PROVINCE
    if code not in agencies:
        agencies[code] = services.agency_create(
            actor=None,
            parent=None,
            code=code,
            name=name,
            abbreviation=abbreviation,
            level=AgencyLevel.PROVINCE,
            uscc=demo_uscc("11", code, 1),
            address=address,
            phone="0451-8xxxxxx0",
        )
    for serial, (code, name, abbreviation, address) in enumerate(CITIES, start=2):
        if code not in agencies:
            agencies[code] = services.agency_create(
                actor=None,
                parent=agencies[PROVINCE[0]],
                code=code,
                name=name,
                abbreviation=abbreviation,
                level=AgencyLevel.CITY,
                uscc=demo_uscc("11", code, serial),
                address=address,
            )
    for serial, (parent, code, name, abbreviation, address) in enumerate(COUNTIES, start=40):
        if code not in agencies:
            agencies[code] = services.agency_create(
                actor=None,
                parent=agencies[parent],
                code=code,
                name=name,
                abbreviation=abbreviation,
                level=AgencyLevel.COUNTY,
                uscc=demo_uscc("11", code, serial),
                address=address,
            )
    for code, agency in agencies.items():
        if code in COURTS and not agency.reconsideration_body:
            agencies[code] = services.agency_set_decision_details(actor=None, agency=agency, **decision_details(agency))
    for code, window in WINDOWS.items():
        if not agencies[code].service_windows.exists():
            services.service_window_create(actor=None, agency=agencies[code], **window)
    return agencies


@contextmanager
def one_hash():
    """Every demo account has the one published password: hash it once, when the first account is made (argon2
    takes half a second a time, by design), and give each new account that hash, instead of hashing it again for
    each of a hundred accounts."""
    hashed: list[str] = []
    original = User.set_password

    def set_password(user, raw_password):
        if raw_password != DEMO_PASSWORD:
            return original(user, raw_password)
        hashed[:] = hashed or [make_password(DEMO_PASSWORD)]
        user.password, user._password = hashed[0], raw_password

    with mock.patch.object(User, "set_password", set_password):
        yield


def load_staff(*, agencies: dict[str, Agency], today: dt.date) -> dict[str, User]:
    staff = {user.username: user for user in User.objects.all()}
    with one_hash():
        for username, full_name, code, roles, title, qualified in STAFF:
            if username not in staff:
                staff[username] = services.staff_create(
                    actor=None,
                    agency=agencies[code],
                    username=username,
                    full_name=full_name,
                    password=DEMO_PASSWORD,
                    roles=roles,
                    job_title=title,
                    has_legal_qualification=qualified,
                    legal_qualification_number=f"A2019{code}{len(staff):04d}" if qualified else "",
                    **dict(zip(("review_post", "reviewing_since"), REVIEWERS.get(username, ("", None)))),
                )
    enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    for user in staff.values():
        if user.pk not in enrolled and user.agency_id is not None:
            services.otp_device_register(actor=None, staff=user, seed=DEMO_TOTP_SEED, name="演示验证器")
    for username, serial, years, expires_in, status, reason in CERTIFICATES:
        holder = staff[username]
        if Certificate.objects.filter(holder=holder).exists():
            continue
        issued_on = today - dt.timedelta(days=365 * years)
        certificate = services.certificate_issue(
            actor=None,
            holder=holder,
            number=f"{holder.agency.code}{issued_on:%y}{serial:04d}",
            domain=EnforcementDomain.ECOLOGY,
            issued_on=issued_on,
            expires_on=today + dt.timedelta(days=expires_in),
        )
        if status == "suspended":
            services.certificate_suspend(actor=None, certificate=certificate, reason=reason)
        elif status == "revoked":
            services.certificate_revoke(actor=None, certificate=certificate, reason=reason)
    return staff
