"""Masking of personal information (national ID numbers, mobiles) for display and export."""


def mask_id_number(value: str) -> str:
    """'110101199001011234' → '110***********1234': keep the region prefix and the last four."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_mobile(value: str) -> str:
    """'13812345678' → '138****5678'."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
