"""Attendance (差勤, spec §5): one status per agent per workday, leave requests, the district's
check-in window and deduction rates, and the department check records (附件7).

No AttendanceRecord row for an active agent on a workday means "unmarked": not attended, and
counted separately so that the attendance rate stays honest (see selectors.figures).

One module per part; everything is importable from `attendance.models`.
"""

from attendance.models.checks import *  # noqa: F403
from attendance.models.daily import *  # noqa: F403
from attendance.models.deductions import *  # noqa: F403
from attendance.models.measures import *  # noqa: F403
from attendance.models.rules import *  # noqa: F403
