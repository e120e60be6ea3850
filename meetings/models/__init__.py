"""Morning meetings (早会经营, spec §2) and the district's supervision of department meetings
(§7). One module per part; everything is importable from `meetings.models`."""

from meetings.models.calendars import *  # noqa: F403
from meetings.models.groups import *  # noqa: F403
from meetings.models.inspections import *  # noqa: F403
from meetings.models.levels import *  # noqa: F403
from meetings.models.records import *  # noqa: F403
from meetings.models.templates import *  # noqa: F403
