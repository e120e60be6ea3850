"""Execution flow templates (附件1): the district default, copies adapted by departments and
groups, drafts and publishing. A published version never changes: calendar entries and meetings
keep pointing at the version they used."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ConflictError
from core.versioning import check_version, claim_version
from meetings.access import can_write_unit
from meetings.models import (
    FlowItem,
    FlowSection,
    FlowTemplate,
    FlowTemplateVersion,
    MeetingLevel,
)
from meetings.selectors.templates import readable_templates

# The district's own wording of 附件1 营业区早会执行流程 (data, not UI strings):
# (section title, [(item title, required, planned minutes), …]).
DEFAULT_TEMPLATE_NAME = "营业区早会执行流程"
ATTACHMENT_1 = [
    (
        "会前准备",
        [
            ("播放激励歌曲、散文", True, 3),
            ("晨迎", True, 5),
            ("资料准备、音响调试", True, 2),
        ],
    ),
    (
        "晨会仪式",
        [
            ("平安颂", True, 2),
            ("公司训导", True, 1),
            ("文化理念", True, 2),
            ("天气预报或时事新闻及公司动态", True, 3),
        ],
    ),
    ("考勤通报", [("考勤通报", True, 2)]),
    (
        "业绩通报",
        [
            ("业绩点评（可包括分公司和其它营业区）", True, 5),
            ("竞赛快报、方案追踪、考核晋升速评", True, 5),
            ("KPI指标分析", True, 3),
        ],
    ),
    (
        "主题活动（以下活动可任选）",
        [
            ("营业区增员、激励方案等政令宣导", False, 5),
            ("典范分享（事先沟通）", False, 10),
            ("专题演讲", False, 15),
            ("表彰或颁奖", False, 5),
            ("当前工作布置、营业区重要通知", False, 5),
            ("宣布早会结束", False, 1),
        ],
    ),
]

MAX_SECTIONS = 20
MAX_ITEMS = 30
MAX_MINUTES = 240


def _content_from_rows(rows) -> list[dict]:
    return [
        {
            "title": title,
            "items": [
                {"title": t, "required": req, "planned_minutes": mins} for t, req, mins in items
            ],
        }
        for title, items in rows
    ]


def version_content(version: FlowTemplateVersion) -> list[dict]:
    """The nested content of a version, in the shape `version_update_content` takes."""
    sections = version.sections.prefetch_related("items")
    return [
        {
            "title": section.title,
            "items": [
                {
                    "title": item.title,
                    "required": item.required,
                    "planned_minutes": item.planned_minutes,
                }
                for item in section.items.all()
            ],
        }
        for section in sections
    ]


def _clean_content(sections) -> list[dict]:
    """Validate nested content; returns it normalised (stripped titles, ints, bools)."""
    if not isinstance(sections, list | tuple):
        raise ValidationError(_("The content must be a list of sections."))
    if len(sections) > MAX_SECTIONS:
        raise ValidationError(_("A template has at most %(n)d sections.") % {"n": MAX_SECTIONS})
    cleaned = []
    for s_index, section in enumerate(sections, start=1):
        title = str(section.get("title") or "").strip()
        if not title:
            raise ValidationError(_("Section %(n)d needs a title.") % {"n": s_index})
        if len(title) > 100:
            raise ValidationError(
                _("The title of section %(n)d is longer than 100 characters.") % {"n": s_index}
            )
        items = section.get("items") or []
        if len(items) > MAX_ITEMS:
            raise ValidationError(
                _("Section %(n)d has more than %(max)d items.") % {"n": s_index, "max": MAX_ITEMS}
            )
        clean_items = []
        for i_index, item in enumerate(items, start=1):
            item_title = str(item.get("title") or "").strip()
            if not item_title:
                raise ValidationError(
                    _("Item %(s)d.%(i)d needs a title.") % {"s": s_index, "i": i_index}
                )
            if len(item_title) > 200:
                raise ValidationError(
                    _("The title of item %(s)d.%(i)d is longer than 200 characters.")
                    % {"s": s_index, "i": i_index}
                )
            try:
                minutes = int(item.get("planned_minutes") or 0)
            except (TypeError, ValueError):
                minutes = -1
            if not 0 <= minutes <= MAX_MINUTES:
                raise ValidationError(
                    _("The planned minutes of item %(s)d.%(i)d must be between 0 and %(max)d.")
                    % {"s": s_index, "i": i_index, "max": MAX_MINUTES}
                )
            clean_items.append(
                {
                    "title": item_title,
                    "required": bool(item.get("required", True)),
                    "planned_minutes": minutes,
                }
            )
        cleaned.append({"title": title, "items": clean_items})
    return cleaned


def _write_content(version: FlowTemplateVersion, content: list[dict]) -> None:
    sections = FlowSection.objects.bulk_create(
        [
            FlowSection(version=version, order=order, title=section["title"])
            for order, section in enumerate(content, start=1)
        ]
    )
    FlowItem.objects.bulk_create(
        [
            FlowItem(
                section=section_row,
                order=order,
                title=item["title"],
                required=item["required"],
                planned_minutes=item["planned_minutes"],
            )
            for section_row, section in zip(sections, content, strict=True)
            for order, item in enumerate(section["items"], start=1)
        ]
    )


def _require_write(acting_user, template: FlowTemplate) -> None:
    if not can_write_unit(acting_user, template.unit):
        raise PermissionDenied


def _lock_template(template: FlowTemplate) -> FlowTemplate:
    return FlowTemplate.objects.select_for_update().select_related("unit").get(pk=template.pk)


@transaction.atomic
def default_flow_template(*, district, acting_user) -> FlowTemplate:
    """The district's default template (附件1), version 1 published. Idempotent: returns the
    existing one. Creating it is a bootstrap step, so it checks no permission; views that offer
    it check `can_write_unit` first."""
    existing = (
        FlowTemplate.objects.filter(unit=district, is_default=True, archived_at__isnull=True)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    template = FlowTemplate.objects.create(
        unit=district,
        name=DEFAULT_TEMPLATE_NAME,
        level=MeetingLevel.DISTRICT,
        is_default=True,
        created_by=acting_user,
    )
    version = FlowTemplateVersion.objects.create(
        template=template,
        number=1,
        note=_("Attachment 1, as issued"),
        created_by=acting_user,
        published_at=timezone.now(),
    )
    _write_content(version, _content_from_rows(ATTACHMENT_1))
    return template


@transaction.atomic
def template_copy(
    *,
    acting_user,
    source: FlowTemplateVersion,
    unit,
    name: str = "",
    level: str | None = None,
) -> FlowTemplate:
    """Copy a visible version into a new template of `unit`, as draft version 1 to adapt."""
    if not readable_templates(acting_user).filter(pk=source.template_id).exists():
        raise PermissionDenied
    if not can_write_unit(acting_user, unit):
        raise PermissionDenied
    if source.published_at is None:
        raise ValidationError(_("Only a published version can be copied."))
    level = level or source.template.level
    if level not in MeetingLevel.values:
        raise ValidationError(_("Unknown meeting level."))
    name = (name or "").strip() or source.template.name
    if len(name) > 100:
        raise ValidationError(_("The name is longer than 100 characters."))
    template = FlowTemplate.objects.create(
        unit=unit, name=name, level=level, copied_from=source, created_by=acting_user
    )
    version = FlowTemplateVersion.objects.create(
        template=template,
        number=1,
        note=_("Copied from %(source)s") % {"source": f"{source.template.name} v{source.number}"},
        created_by=acting_user,
    )
    _write_content(version, version_content(source))
    return template


@transaction.atomic
def version_create_draft(
    *, acting_user, template: FlowTemplate, note: str = ""
) -> FlowTemplateVersion:
    """A new draft version, starting from the template's latest version. One draft at a time."""
    template = _lock_template(template)
    _require_write(acting_user, template)
    if template.archived_at:
        raise ConflictError(_("This template is archived."))
    versions = template.versions.all()
    if versions.filter(published_at__isnull=True).exists():
        raise ConflictError(_("This template already has a draft; edit or publish it first."))
    latest = versions.order_by("-number").first()
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = FlowTemplateVersion.objects.create(
        template=template, number=number, note=note.strip()[:200], created_by=acting_user
    )
    if latest is not None:
        _write_content(draft, version_content(latest))
    return draft


def _require_draft(version: FlowTemplateVersion) -> None:
    if version.published_at is not None:
        raise ConflictError(
            _(
                "Version %(n)d is published and can no longer be changed; meetings use it. "
                "Create a new draft instead."
            )
            % {"n": version.number}
        )


@transaction.atomic
def version_update_content(
    *,
    acting_user,
    version: FlowTemplateVersion,
    sections,
    note: str | None = None,
    base_version: int | None = None,
) -> FlowTemplateVersion:
    """Replace the content of a draft with `sections` ([{title, items: [{title, required,
    planned_minutes}]}], in order). A draft is referenced by nothing, so its rows are rewritten.
    A save on a stale `base_version` (the draft's `version`) is refused (StaleVersion)."""
    version = (
        FlowTemplateVersion.objects.select_for_update()
        .select_related("template__unit")
        .get(pk=version.pk)
    )
    _require_write(acting_user, version.template)
    _require_draft(version)
    check_version(version, base_version)
    content = _clean_content(sections)
    claim_version(version, base_version)
    FlowItem.objects.filter(section__version=version).delete()
    FlowSection.objects.filter(version=version).delete()
    _write_content(version, content)
    if note is not None:
        version.note = note.strip()[:200]
    version._history_user = acting_user
    version.save(update_fields=["note"])  # a history row (who, when) for every save
    return version


@transaction.atomic
def version_publish(
    *, acting_user, version: FlowTemplateVersion, base_version: int | None = None
) -> FlowTemplateVersion:
    """Publish a draft: from now on it is the version used for new calendar entries and
    meetings, and it never changes again. Publishing content other than the `base_version` the
    caller saw is refused (StaleVersion)."""
    version = (
        FlowTemplateVersion.objects.select_for_update()
        .select_related("template__unit")
        .get(pk=version.pk)
    )
    _require_write(acting_user, version.template)
    _require_draft(version)
    check_version(version, base_version)
    sections = list(version.sections.prefetch_related("items"))
    if not sections:
        raise ValidationError(_("An empty version cannot be published; add sections first."))
    for section in sections:
        if not section.items.all():
            raise ValidationError(
                _("Section “%(title)s” has no items; every section needs at least one.")
                % {"title": section.title}
            )
    claim_version(version, base_version)
    version.published_at = timezone.now()
    version._history_user = acting_user
    version.save(update_fields=["published_at"])
    return version


@transaction.atomic
def template_rename(*, acting_user, template: FlowTemplate, name: str) -> FlowTemplate:
    template = _lock_template(template)
    _require_write(acting_user, template)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError(_("A name of 1 to 100 characters is required."))
    template.name = name
    template.save(update_fields=["name"])
    return template


@transaction.atomic
def template_archive(*, acting_user, template: FlowTemplate) -> FlowTemplate:
    """Take a template out of use (it stays, with its versions, for the meetings that used it)."""
    template = _lock_template(template)
    _require_write(acting_user, template)
    if template.is_default:
        raise ValidationError(_("The district's default template cannot be archived."))
    if template.archived_at is None:
        template.archived_at = timezone.now()
        template.save(update_fields=["archived_at"])
    return template
