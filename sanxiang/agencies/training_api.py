"""API v1 for officers' training (培训记录): an officer's records and hours of a year, recording, withdrawing and
correcting a record, and an agency's yearly summary — behind the gates of agencies.training_selectors."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies import services, training_selectors
from sanxiang.agencies.api import AgencyRef, ReasonInput
from sanxiang.agencies.models import ExamResult, TrainingKind
from sanxiang.api.forms import BoundedDateField


class TrainingRecordOut(serializers.Serializer):
    id = serializers.IntegerField()
    officer = serializers.IntegerField(source="officer_id")
    agency = AgencyRef()
    course = serializers.CharField()
    organiser = serializers.CharField()
    kind = serializers.CharField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    exam_result = serializers.CharField()
    exam_score = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    certificate_number = serializers.CharField()
    evidence_note = serializers.CharField()
    replaces = serializers.IntegerField(source="replaces_id", allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawal_reason = serializers.CharField()


class TrainingProgressOut(serializers.Serializer):
    year = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=7, decimal_places=1)
    required = serializers.DecimalField(max_digits=7, decimal_places=1)
    short = serializers.BooleanField()
    exams_passed = serializers.IntegerField()


class OfficerTrainingOut(serializers.Serializer):
    officer = serializers.IntegerField()
    progress = TrainingProgressOut()
    records = TrainingRecordOut(many=True)


class YearQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


def _year(request) -> int:
    query = YearQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("year") or timezone.localdate().year


class OfficerTrainingApi(APIView):
    """An officer's training records and hours of a year (`?year=`, this year by default) — the officer, or the
    heads, system administrators and supervisors of the officer's agency or above; heads and system administrators
    record a course (POST)."""

    class Input(serializers.Serializer):
        course = serializers.CharField(max_length=200)
        organiser = serializers.CharField(max_length=100)
        kind = serializers.ChoiceField(choices=TrainingKind.choices)
        started_on = BoundedDateField()
        ended_on = BoundedDateField()
        hours = serializers.DecimalField(max_digits=5, decimal_places=1)
        exam_result = serializers.ChoiceField(choices=ExamResult.choices, required=False, default=ExamResult.NONE)
        exam_score = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True)
        certificate_number = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
        evidence_note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)

    @extend_schema(parameters=[YearQuery], responses=OfficerTrainingOut)
    def get(self, request, staff_id: int):
        officer = training_selectors.training_officer_get_for_user(user=request.user, staff_id=staff_id)
        progress = training_selectors.training_progress(officer, _year(request))
        body = {
            "officer": officer.pk,
            "progress": progress,
            "records": training_selectors.training_records_of(officer),
        }
        return Response(OfficerTrainingOut(body).data)

    @extend_schema(request=Input, responses={201: TrainingRecordOut})
    def post(self, request, staff_id: int):
        officer = training_selectors.training_officer_get_for_user(
            user=request.user, staff_id=staff_id, action=training_selectors.RECORD
        )
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.training_record_create(actor=request.user, officer=officer, **data.validated_data)
        return Response(TrainingRecordOut(record).data, status=status.HTTP_201_CREATED)


class TrainingWithdrawApi(APIView):
    """Withdraw a training record entered by mistake, with the reason (it stays on file and stops counting)."""

    @extend_schema(request=ReasonInput, responses=TrainingRecordOut)
    def post(self, request, record_id: int):
        record = training_selectors.training_record_get_for_user(
            user=request.user, record_id=record_id, action=training_selectors.RECORD
        )
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.training_record_withdraw(
            actor=request.user, record=record, reason=data.validated_data["reason"]
        )
        return Response(TrainingRecordOut(record).data)


class TrainingCorrectApi(APIView):
    """Correct a training record: the old one is withdrawn with the reason and the corrected one recorded in its
    place (201 with the new record); only the fields given change."""

    class Input(serializers.Serializer):
        reason = serializers.CharField(max_length=200)
        course = serializers.CharField(max_length=200, required=False)
        organiser = serializers.CharField(max_length=100, required=False)
        kind = serializers.ChoiceField(choices=TrainingKind.choices, required=False)
        started_on = BoundedDateField(required=False)
        ended_on = BoundedDateField(required=False)
        hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False)
        exam_result = serializers.ChoiceField(choices=ExamResult.choices, required=False)
        exam_score = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True)
        certificate_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
        evidence_note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    @extend_schema(request=Input, responses={201: TrainingRecordOut})
    def post(self, request, record_id: int):
        record = training_selectors.training_record_get_for_user(
            user=request.user, record_id=record_id, action=training_selectors.RECORD
        )
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        corrected = services.training_record_correct(
            actor=request.user, record=record, reason=changes.pop("reason"), **changes
        )
        return Response(TrainingRecordOut(corrected).data, status=status.HTTP_201_CREATED)


class TrainingAgencyOut(serializers.Serializer):
    agency = serializers.CharField()
    name = serializers.CharField()
    required_hours = serializers.DecimalField(max_digits=7, decimal_places=1)
    officers = serializers.IntegerField()
    trained = serializers.IntegerField()
    total_hours = serializers.DecimalField(max_digits=12, decimal_places=1)
    below_requirement = serializers.IntegerField()
    exams_passed = serializers.IntegerField()


class TrainingSummaryOut(serializers.Serializer):
    year = serializers.IntegerField()
    officers = serializers.IntegerField()
    trained = serializers.IntegerField()
    total_hours = serializers.DecimalField(max_digits=12, decimal_places=1)
    below_requirement = serializers.IntegerField()
    exams_passed = serializers.IntegerField()
    agencies = TrainingAgencyOut(many=True)


class TrainingSummaryApi(APIView):
    """The year's training (`?year=`) of an agency and every agency below it: officers, officers trained, total
    hours, officers below the yearly requirement, exams passed (heads, system administrators and supervisors)."""

    @extend_schema(parameters=[YearQuery], responses=TrainingSummaryOut)
    def get(self, request, agency_id: int):
        agencies = training_selectors.training_summary_agencies_for_user(user=request.user, agency_id=agency_id)
        summary = training_selectors.training_summary(agencies=list(agencies), year=_year(request))
        return Response(TrainingSummaryOut(summary).data)
