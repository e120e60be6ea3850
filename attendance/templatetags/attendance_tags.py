from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from attendance.access import may_record_somewhere
from org import access
from org.access import Cap

register = template.Library()


@register.inclusion_tag("attendance/_nav.html", takes_context=True)
def attendance_nav(context, active=""):
    """The attendance section's tabs, offered by what the user may do (no query: the scope is
    cached on the user)."""
    user = context["request"].user
    return {
        "active": active,
        "staff": access.holds(user, Cap.VIEW_ORG),
        "own": bool(access.own_agent_id(user)),
        "record": may_record_somewhere(user, today_too=True),
        "import": may_record_somewhere(user),
    }


@register.filter
def days(value):
    """A day count without a needless .0 (1.0 → 1, 0.5 → 0.5)."""
    if value is None or value == "":
        return ""
    text = f"{value:.1f}" if not isinstance(value, int) else str(value)
    return text[:-2] if text.endswith(".0") else text


@register.filter
def percent(value):
    return "—" if value is None else f"{value}%"


@register.filter
def grid_cells(cells):
    """A month grid row's day cells as HTML in one go (a 300-agent month is 9,000 cells; a
    template loop over them would dominate the page's time)."""
    return mark_safe("".join(cell.html for cell in cells))  # noqa: S308 - escaped in GridCell.html


@register.filter
def weekday_letter(day):
    """One letter for the weekday of a grid column (一 … 日 in Chinese)."""
    return _("M T W T F S S").split()[day.weekday()]


@register.filter
def totals_cells(figures):
    """A grid row's eight totals as HTML (numbers only; see grid_cells for why)."""
    values = [
        figures.required,
        days(figures.attended),
        percent(figures.rate),
        figures.late,
        days(figures.leave_reported),
        days(figures.leave_unreported),
        days(figures.absent),
        figures.unmarked,
    ]
    return mark_safe(  # noqa: S308 - numbers and "%" only
        "".join(f'<td class="tot">{escape(value)}</td>' for value in values)
    )


@register.simple_tag
def roll_call_controls(row, buttons, half_label, reported_label, enabled):
    """A roll call row's toggles (four status buttons, half day, reported) as HTML: built here
    rather than by a template loop, so a 300-agent department renders quickly."""
    pk = row.agent.pk
    off = "" if enabled else " disabled"
    parts = [
        format_html(
            '<div class="btn-group btn-group-sm" role="radiogroup" aria-label="{}">',
            row.agent.name,
        )
    ]
    status = row.status
    for value, label, css in buttons:
        parts.append(
            format_html(
                '<input type="radio" class="btn-check st-{value}" name="s{pk}" id="s{pk}{value}" '
                'value="{value}" autocomplete="off"{checked}{off}>'
                '<label class="btn btn-outline-{css}" for="s{pk}{value}">{label}</label>',
                value=value,
                pk=pk,
                checked=" checked" if status == value else "",
                off=off,
                css=css,
                label=label,
            )
        )
    parts.append(
        format_html(
            '</div><div class="rc-extra d-flex gap-1">'
            '<input type="checkbox" class="btn-check" name="h{pk}" id="h{pk}" '
            'autocomplete="off"{half}{off}>'
            '<label class="btn btn-sm btn-outline-secondary rc-half-l" for="h{pk}">{half_label}'
            "</label>"
            '<input type="checkbox" class="btn-check" name="r{pk}" id="r{pk}" '
            'autocomplete="off"{reported}{off}>'
            '<label class="btn btn-sm btn-outline-info rc-rep-l" for="r{pk}">{reported_label}'
            "</label></div>",
            pk=pk,
            half=" checked" if row.half else "",
            reported=" checked" if row.reported else "",
            off=off,
            half_label=half_label,
            reported_label=reported_label,
        )
    )
    return mark_safe("".join(parts))  # noqa: S308 - every part went through format_html
