"""The dashboard's bar charts: lengths in proportion, percentages on a 100 scale, the target where it belongs."""

from services.progress.portal.charts import PLOT_WIDTH, ROW_HEIGHT, bar_chart


def test_the_longest_bar_fills_the_plot_and_the_others_are_in_proportion() -> None:
    chart = bar_chart("c", "t", "d", [("drafted", 4, "4"), ("submitted", 2, "2"), ("verified", 0, "0")])
    assert [bar.length for bar in chart.bars] == [PLOT_WIDTH, PLOT_WIDTH / 2, 0]
    assert [bar.y for bar in chart.bars] == [0, ROW_HEIGHT, 2 * ROW_HEIGHT]


def test_percentages_are_drawn_on_a_scale_of_one_hundred_with_the_target_line() -> None:
    chart = bar_chart("w", "t", "d", [("marked", 10, "10%")], scale=100, target=20, target_label="20%")
    assert chart.bars[0].length == PLOT_WIDTH / 10
    assert chart.target_x == PLOT_WIDTH / 5
    assert chart.height > ROW_HEIGHT


def test_a_chart_of_zeros_or_of_nothing_does_not_divide_by_zero() -> None:
    assert bar_chart("z", "t", "d", [("drafted", 0, "0")]).bars[0].length == 0
    assert bar_chart("n", "t", "d", []).bars == []
