from activity import demo
from activity.models import ProspectCard, WorkLog


def test_demo_fills_the_first_district_once(world):
    demo.seed(seed=1, log=lambda _message: None)
    count = WorkLog.objects.count()
    assert count > 0
    assert not WorkLog.objects.filter(agent__group__district=world.district_b).exists()
    assert ProspectCard.objects.exists()
    demo.seed(seed=1, log=lambda _message: None)
    assert WorkLog.objects.count() == count


def test_demo_adds_a_return_trail_tools_and_weekly_checks(world):
    from activity.models import CheckState, ToolMovement, WeeklyCheck
    from activity.selectors.tools import stock

    demo.seed(seed=2, log=lambda _message: None)
    assert WorkLog.history.filter(history_change_reason="return").exists()
    returned = WorkLog.history.filter(history_change_reason="return").first().instance
    assert returned.history.filter(history_change_reason="submit").exists()
    assert ToolMovement.objects.filter(direction="in").exists()
    assert ToolMovement.objects.filter(direction="out").exists()
    assert all(row["stock"] >= 0 for row in stock(world.district_a))
    states = set(WeeklyCheck.objects.values_list("state", flat=True))
    assert {CheckState.CHECKED, CheckState.SUBMITTED} <= states
    assert WeeklyCheck.objects.filter(state=CheckState.CHECKED, snapshot__isnull=False).exists()
