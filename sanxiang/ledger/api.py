"""Public ledger endpoints (no login): the latest signed checkpoint, the verifier key, inclusion and consistency
proofs. Anyone — a court, the provincial department, the public — can check the log with these alone."""

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.ledger import selectors
from sanxiang.ledger.merkle import ProofError
from sanxiang.ledger.services import ledger_signer


class PublicApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []


class CheckpointApi(PublicApi):
    """The latest signed checkpoint (C2SP tlog-checkpoint in a C2SP signed note), as text/plain."""

    @extend_schema(responses={(200, "text/plain"): OpenApiTypes.STR})
    def get(self, request):
        checkpoint = selectors.latest_checkpoint()
        if checkpoint is None:
            raise NotFound(_("账本尚未签发检查点。"))
        return HttpResponse(checkpoint.note, content_type="text/plain; charset=utf-8")


class VerifierKeyApi(PublicApi):
    """The key that verifies checkpoint signatures: name+keyid+base64(0x01 ‖ Ed25519 public key)."""

    @extend_schema(responses={(200, "text/plain"): OpenApiTypes.STR})
    def get(self, request):
        try:
            signer = ledger_signer()
        except ImproperlyConfigured:
            raise NotFound(_("账本尚未签发检查点，暂无验证公钥。")) from None
        return HttpResponse(f"{signer.verifier}\n", content_type="text/plain; charset=utf-8")


class _Numbers(serializers.Serializer):
    def __init__(self, *names, **kwargs):
        super().__init__(**kwargs)
        for name in names:
            self.fields[name] = serializers.IntegerField(min_value=0, max_value=2**62)


def _numbers(request, *names) -> list[int]:
    data = _Numbers(*names, data=request.query_params)
    data.is_valid(raise_exception=True)
    return [data.validated_data[name] for name in names]


def _proof(call):
    try:
        return Response(call())
    except ProofError as error:
        raise ValidationError({"non_field_errors": [str(error)]}, code="invalid_proof_request") from None


INCLUSION = inline_serializer(
    "InclusionProof",
    {
        "index": serializers.IntegerField(),
        "size": serializers.IntegerField(),
        "leaf_hash": serializers.CharField(),
        "proof": serializers.ListField(child=serializers.CharField()),
    },
)
CONSISTENCY = inline_serializer(
    "ConsistencyProof",
    {
        "from": serializers.IntegerField(),
        "to": serializers.IntegerField(),
        "proof": serializers.ListField(child=serializers.CharField()),
    },
)


class InclusionProofApi(PublicApi):
    """PATH(index, D[size]) of RFC 9162 §2.1.3, hashes as lowercase hex."""

    @extend_schema(
        parameters=[OpenApiParameter("index", int, required=True), OpenApiParameter("size", int, required=True)],
        responses=INCLUSION,
    )
    def get(self, request):
        index, size = _numbers(request, "index", "size")
        return _proof(lambda: selectors.inclusion_proof(index, size))


class ConsistencyProofApi(PublicApi):
    """PROOF(from, D[to]) of RFC 9162 §2.1.4, hashes as lowercase hex."""

    @extend_schema(
        parameters=[OpenApiParameter("from", int, required=True), OpenApiParameter("to", int, required=True)],
        responses=CONSISTENCY,
    )
    def get(self, request):
        first, second = _numbers(request, "from", "to")
        return _proof(lambda: selectors.consistency_proof(first, second))
