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
