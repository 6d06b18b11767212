"""Public ledger endpoints (no login): the latest signed checkpoint, the verifier key, inclusion and consistency
proofs. Anyone — a court, the provincial department, the public — can check the log with these alone."""

from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.ledger import selectors, tiles, witnessing
from sanxiang.ledger.merkle import ProofError
from sanxiang.ledger.models import Checkpoint, Timestamp
from sanxiang.ledger.services import ledger_signer
from sanxiang.ledger.timestamping import configured_roots, stamped_text


class PublicApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []


class CheckpointApi(PublicApi):
    """The latest signed checkpoint (C2SP tlog-checkpoint in a C2SP signed note), as text/plain, with the
    cosignatures (C2SP tlog-cosignature) the witnesses have returned for it so far."""

    @extend_schema(responses={(200, "text/plain"): OpenApiTypes.STR})
    def get(self, request):
        checkpoint = selectors.latest_checkpoint()
        if checkpoint is None:
            raise NotFound(_("账本尚未签发检查点。"))
        return HttpResponse(witnessing.witnessed_note(checkpoint), content_type="text/plain; charset=utf-8")


class WitnessPolicyApi(PublicApi):
    """The witnesses whose cosignatures a verifier requires: `quorum <n>`, then one witness key a line
    (name+keyid+base64(0x04 ‖ Ed25519 public key)). `quorum 0` when no witness is configured."""

    @extend_schema(responses={(200, "text/plain"): OpenApiTypes.STR})
    def get(self, request):
        return HttpResponse(witnessing.policy_text(), content_type="text/plain; charset=utf-8")


@login_not_required
@require_safe
def tile(request, path: str):
    """A tile of the ledger's hashes (C2SP tlog-tiles: `tile/<L>/<N>[.p/<W>]`, ledger/tiles.py), within the latest
    signed checkpoint. A plain view rather than an API one: it is a static file in all but storage, immutable, so
    any cache may keep it for ever (API answers are never cached)."""
    try:
        level, index, width = tiles.parse_tile_path(path)
    except ValueError:
        raise Http404(_("没有这个瓦片：路径应为 tile/<层>/<序号>[.p/<宽度>]。")) from None
    found = tiles.served_tile(level, index, width)
    if found is None:
        raise Http404(_("该瓦片尚不完整，或超出最新签名检查点的范围。"))
    response = HttpResponse(found, content_type="application/octet-stream")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@login_not_required
@require_safe
def timestamp(request, size: int):
    """The RFC 3161 time-stamp token (the TSA's DER TimeStampResp) over checkpoint `size`'s text, immutable."""
    found = Timestamp.objects.filter(checkpoint_id=size).values_list("response", flat=True).first()
    if found is None:
        raise Http404(_("该检查点没有可信时间戳。"))
    response = HttpResponse(bytes(found), content_type="application/timestamp-reply")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@login_not_required
@require_safe
def timestamp_text(request, size: int):
    """What checkpoint `size`'s token covers: the checkpoint's text, unsigned (`openssl ts -verify -data` reads it)."""
    found = Checkpoint.objects.filter(size=size, timestamp__isnull=False).values_list("note", flat=True).first()
    if found is None:
        raise Http404(_("该检查点没有可信时间戳。"))
    response = HttpResponse(stamped_text(found), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@login_not_required
@require_safe
def tsa_roots(request):
    """The time-stamping authority's root certificates the log verifies its tokens against (PEM)."""
    if settings.LEDGER_TSA_ROOTS is None:
        raise Http404(_("本系统未配置可信时间戳服务。"))
    return HttpResponse(
        b"".join(root.public_bytes(Encoding.PEM) for root in configured_roots()), content_type="application/x-pem-file"
    )


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
