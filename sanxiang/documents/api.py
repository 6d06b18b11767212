"""API v1 for signatures on site: a document's signatures and what it still lacks, adding one (or a refusal with its
witness) from the officer's phone, and correcting the record into a new version to be signed anew. Errors: a version
since corrected is 409 `conflict`, bad strokes or fields 400, someone not of the act 403."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.agencies.models import User
from sanxiang.documents import selectors
from sanxiang.documents.models import SignerRole
from sanxiang.documents.services.signatures import document_correct, signature_add, signature_refusal_record

POINT = {"type": "array", "items": {"type": "number"}, "minItems": 3, "maxItems": 3}


@extend_schema_field({"type": "array", "items": {"type": "array", "items": POINT}})
class StrokesField(serializers.JSONField):
    """[[ [x, y, ms], … ], …] as sent: the service bounds their number and refuses anything but numbers (a string
    or a boolean is not coerced here)."""


class SignatureOut(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    note = serializers.CharField()
    document_sha256 = serializers.CharField()
    strokes_sha256 = serializers.CharField()
    svg = serializers.CharField()
    signed_at = serializers.DateTimeField()


class SigningOut(serializers.Serializer):
    document = serializers.IntegerField(source="document.pk")
    version = serializers.IntegerField(source="document.version")
    version_sha256 = serializers.CharField(source="document.docx_sha256")
    superseded_by = serializers.IntegerField(source="state.superseded_by.pk", allow_null=True, default=None)
    complete = serializers.BooleanField(source="state.complete")
    missing = serializers.ListField(child=serializers.CharField(), source="state.missing")
    citation = serializers.CharField(source="state.citation")
    signatures = SignatureOut(many=True, source="state.signatures")


class SignatureIn(serializers.Serializer):
    version_sha256 = serializers.CharField(max_length=64, help_text="签名人所见文书版本的 SHA-256 值")
    refused = serializers.BooleanField(default=False, help_text="当事人拒绝签名或不在场：注明情况，并由见证人签名")
    role = serializers.ChoiceField(choices=SignerRole.choices, required=False)
    name = serializers.CharField(max_length=60, required=False, default="")
    officer = serializers.IntegerField(required=False, help_text="执法人员签名时，该执法人员的 id")
    strokes = StrokesField(required=False)
    note = serializers.CharField(max_length=300, required=False, default="")
    witness_name = serializers.CharField(max_length=60, required=False, default="")
    witness_strokes = StrokesField(required=False)


class CorrectionIn(serializers.Serializer):
    changes = serializers.DictField(
        child=serializers.CharField(max_length=10_000, allow_blank=True, trim_whitespace=True),
        allow_empty=False,
        help_text="更正的栏目：键为文书种类中栏目的名称，值为更正后的内容",
    )


class _Signing:
    def __init__(self, document):
        self.document, self.state = document, selectors.signing_state(document)


class _SignedOnSite:
    def _document(self, request, document_id):
        document = selectors.document_get_for_user(user=request.user, document_id=document_id)
        if not document.signed_on_site:
            raise Http404
        return document


class DocumentSignaturesApi(_SignedOnSite, APIView):
    """现场签名 of a document of the caller's agency (404 for another's, or a type not signed on site): GET lists them
    with what the version still lacks; POST adds one — a hand signature, or (`refused`) the principal's refusal
    with the officer's note and a witness's signature — on the version the signer was shown."""

    @extend_schema(responses=SigningOut)
    def get(self, request, document_id: int):
        return Response(SigningOut(_Signing(self._document(request, document_id))).data)

    @extend_schema(request=SignatureIn, responses={201: SigningOut})
    def post(self, request, document_id: int):
        document = self._document(request, document_id)
        body = SignatureIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        common = {"actor": request.user, "document": document, "version_sha256": data["version_sha256"]}
        if data["refused"]:
            signature_refusal_record(
                **common,
                note=data["note"],
                witness_name=data["witness_name"],
                witness_strokes=data.get("witness_strokes", []),
                name=data["name"],
            )
        else:
            officer = User.objects.filter(pk=data["officer"]).first() if "officer" in data else None
            signature_add(
                **common, role=data.get("role", ""), strokes=data.get("strokes", []), name=data["name"], officer=officer
            )
        document.refresh_from_db()
        return Response(SigningOut(_Signing(document)).data, status=status.HTTP_201_CREATED)


class DocumentCorrectionsApi(_SignedOnSite, APIView):
    """更正 a record signed on site (only its latest version, by an officer of the act): the answer is the new
    version, with no signatures yet; the version corrected keeps its own and can no longer be signed."""

    @extend_schema(request=CorrectionIn, responses={201: SigningOut})
    def post(self, request, document_id: int):
        document = self._document(request, document_id)
        body = CorrectionIn(data=request.data)
        body.is_valid(raise_exception=True)
        corrected = document_correct(actor=request.user, document=document, changes=body.validated_data["changes"])
        return Response(SigningOut(_Signing(corrected)).data, status=status.HTTP_201_CREATED)
