"""API v1 of the exchange: the published schemas (anyone), the feed (any account; partner tokens included — it
carries public entries only) and the mirror (staff, read-only).

Who reads the feed: every authenticated account, and a partner token (scope `partner`) in particular, since the
feed holds only entries anyone may read (public, of an action that is not internal) — the token is asked for
so that each partner's pulls are its own (rate, first use of the day in the security audit log), not to hide
anything. Writes are refused: the views answer GET only, and a read or partner token's POST, PUT, PATCH or DELETE is
refused by the token's scope first (403 `token_scope`, in the API's usual error shape).
"""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.api.pagination import Paged
from sanxiang.api.views import PublicApi
from sanxiang.exchange import schemas, selectors
from sanxiang.exchange.models import MirrorSource


@extend_schema_field(
    {
        "type": "object",
        "description": "交换记录，按其 kind 符合 /api/v1/exchange/schema/<kind>.json（JSON Schema 2020-12）"
        " / an exchange record, valid against the schema of its kind",
        "required": ["kind", "version", "ledger"],
        "properties": {"kind": {"type": "string", "enum": list(schemas.RECORD_KINDS)}, "version": {"type": "integer"}},
        "additionalProperties": True,
    }
)
class RecordField(serializers.JSONField):
    pass


class CheckpointOut(serializers.Serializer):
    size = serializers.IntegerField(help_text="检查点覆盖的条目数（树大小）")
    root = serializers.CharField(help_text="根哈希，小写十六进制")
    note = serializers.CharField(help_text="C2SP 签名检查点全文（用 /ledger/key 的公钥验证）")
    hash = serializers.ChoiceField(
        choices=["sha256", "sm3"], help_text="账本树的杂凑算法：sha256，或国密模式的 sm3（叶哈希、节点与证明都用它）"
    )


class FeedEntryOut(serializers.Serializer):
    index = serializers.IntegerField(help_text="账本序号")
    leaf = serializers.CharField(
        help_text="账本条目原文（RFC 8785 JSON）的 base64：叶哈希 = H(0x00 ‖ 原文)，H 为检查点的 hash"
    )
    proof = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="RFC 9162 包含证明 PATH(index, D[size])，自叶向根，小写十六进制（proofs=entry 时）",
    )
    record = RecordField()


class FeedOut(serializers.Serializer):
    format = serializers.CharField(help_text=schemas.FORMAT)
    since = serializers.IntegerField()
    next = serializers.IntegerField(help_text="下一批的 since")
    more = serializers.BooleanField(help_text="检查点内是否还有后续条目")
    checkpoint = CheckpointOut(allow_null=True)
    entries = FeedEntryOut(many=True)
    batch_proof = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="整批包含证明（proofs=batch 时）：按 RFC 9162 树自左向右，不含本批任何条目的最大子树的哈希"
        "（sanxiang.ledger.merkle.batch_ranges），与本批各叶哈希一起算出检查点的根；小写十六进制",
    )


class FeedApi(APIView):
    """交换数据增量：账本序号 since 之后、最新签名检查点之内的公开条目，每条带交换记录、账本原文与包含证明。"""

    partner_readable = True

    class Query(serializers.Serializer):
        since = serializers.IntegerField(
            min_value=-1, max_value=2**62, default=-1, help_text="从此序号之后（-1：从头）"
        )
        limit = serializers.IntegerField(
            min_value=1, max_value=selectors.BATCH_MAX, default=selectors.BATCH_DEFAULT, help_text="本批最多条目数"
        )
        proofs = serializers.ChoiceField(
            choices=selectors.PROOFS,
            default="entry",
            help_text="entry：每条带自己的包含证明；batch：整批一个包含证明（batch_proof，验证快得多）",
        )

    @extend_schema(
        parameters=[
            Query,
            OpenApiParameter(
                "Link",
                str,
                OpenApiParameter.HEADER,
                response=True,
                description='有后续批次时：<下一批的地址>; rel="next"（RFC 8288），读完本批即可请求下一批',
            ),
        ],
        responses=FeedOut,
    )
    def get(self, request):
        query = self.Query(data=request.query_params)
        query.is_valid(raise_exception=True)
        batch = selectors.feed_batch(**query.validated_data)
        response = Response(batch)
        if batch["more"]:
            # The next batch named before the body is read, so that a client can ask for it while parsing this one.
            following = request.GET.copy()
            following["since"] = batch["next"]
            response["Link"] = f'<{request.path}?{following.urlencode()}>; rel="next"'
        return response


class SchemaApi(PublicApi):
    """交换数据集的 JSON Schema（2020-12），公开。"""

    @extend_schema(
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=list(schemas.NAMES))],
        responses={(200, "application/schema+json"): OpenApiTypes.OBJECT},
    )
    def get(self, request, name: str):
        if name not in schemas.NAMES:
            raise NotFound()
        path = schemas.DIRECTORY / f"{name}.json"
        return HttpResponse(path.read_bytes(), content_type="application/schema+json; charset=utf-8")


class MirrorRecordOut(serializers.Serializer):
    source = serializers.CharField(source="source.url")
    index = serializers.IntegerField()
    kind = serializers.CharField()
    record = RecordField()
    leaf_hash = serializers.CharField()
    checkpoint_size = serializers.IntegerField()
    pulled_at = serializers.DateTimeField()


class MirrorRecordListApi(Paged, APIView):
    """只读镜像中的交换记录（拉取时已全部验证）。"""

    class Filter(serializers.Serializer):
        source = serializers.IntegerField(required=False)
        kind = serializers.ChoiceField(choices=schemas.RECORD_KINDS, required=False)
        since = serializers.IntegerField(min_value=-1, default=-1)

    @extend_schema(parameters=[Filter], responses=MirrorRecordOut(many=True))
    def get(self, request):
        query = self.Filter(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        source = None
        if "source" in data:
            source = MirrorSource.objects.filter(pk=data["source"]).first()
            if source is None:
                raise NotFound()
        records = selectors.mirror_records(source=source, kind=data.get("kind", ""), since=data["since"])
        return self.page(request, records, MirrorRecordOut)
