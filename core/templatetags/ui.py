from django import forms, template

register = template.Library()


@register.filter
def bs(field):
    """Render a form field's widget with the Bootstrap class it needs."""
    widget = field.field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    classes = widget.attrs.get("class", "").split()
    classes += [css] if css not in classes else []
    classes += ["is-invalid"] if field.errors else []
    return field.as_widget(attrs={"class": " ".join(classes)})


@register.simple_tag
def query_with(query, **kwargs):
    """The current query string with some parameters replaced (for pagination/sorting links)."""
    from django.http import QueryDict

    params = QueryDict(query, mutable=True)
    for key, value in kwargs.items():
        params[key] = value
    return params.urlencode()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
