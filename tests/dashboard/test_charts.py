"""The SVG charts' geometry: scales that read well, stacks that add up, gaps that stay gaps."""

import pytest

from dashboard.charts import BOTTOM, TOP, column_chart, nice_ceiling, sparkline


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 2), (1, 2), (3, 4), (5, 6), (9, 10), (11, 20), (41, 60), (101, 200)]
)
def test_the_axis_maximum_is_round_even_and_at_least_the_value(value, ceiling):
    assert nice_ceiling(value) == ceiling


def test_stacked_segments_sit_on_each_other_and_scale_to_the_tallest_column():
    chart = column_chart(
        [("w1", "week 1", [("light", "Light", 1), ("heavy", "Heavy", 3)]), ("w2", "week 2", [("light", "Light", 0)])]
    )

    first, second = chart.columns
    light, heavy = first.segments
    assert light.y + light.height == BOTTOM
    assert heavy.y + heavy.height == pytest.approx(light.y)
    assert heavy.height == pytest.approx(3 * light.height)
    assert first.top == pytest.approx(TOP)  # 4 people, on an axis up to 4
    assert [line.label for line in chart.gridlines] == ["0", "2", "4"]
    assert second.segments[0].height == 0 and first.x < second.x


def test_a_fixed_maximum_keeps_percentages_on_a_hundred_point_scale():
    chart = column_chart([("d", "day", [("posted", "Posted", 50)])], maximum=100, unit="%")

    assert chart.columns[0].top == pytest.approx((TOP + BOTTOM) / 2)
    assert [line.label for line in chart.gridlines] == ["0%", "50%", "100%"]


def test_a_sparkline_breaks_where_nothing_was_recorded():
    line = sparkline([("a", 1), ("b", 4), ("c", None), ("d", 2)], levels=4, height=56)

    assert len(line.points) == 3
    assert len(line.paths) == 2 and len(line.paths[0].split()) == 2
    assert line.points[0].y == line.guides[0] > line.points[1].y == line.guides[-1]


def test_a_sparkline_names_its_levels_up_the_left_and_its_weeks_along_the_bottom():
    weeks = [f"{n} Sep" for n in range(1, 13)]
    line = sparkline(
        [(w, 2) for w in weeks], levels=4, level_names=["Light", "Balanced", "Heavy", "Overloaded"], week_names=weeks
    )

    assert [(label.text, label.y) for label in line.level_labels] == list(
        zip(["Light", "Balanced", "Heavy", "Overloaded"], line.guides, strict=True)
    )
    assert all(label.x < line.left < line.points[0].x + 1 for label in line.level_labels)
    # The latest week and every third before it, under their points, below the plot.
    assert [label.text for label in line.week_labels] == ["3 Sep", "6 Sep", "9 Sep", "12 Sep"]
    assert [label.x for label in line.week_labels] == [line.points[i].x for i in (2, 5, 8, 11)]
    assert all(label.y > line.baseline for label in line.week_labels)


def test_a_crowded_axis_labels_every_other_column_ending_with_the_latest():
    twelve = column_chart([(f"w{n}", f"week {n}", [("light", "Light", 1)]) for n in range(12)])
    ten = column_chart([(f"d{n}", f"day {n}", [("posted", "Posted", 1)]) for n in range(10)])

    assert [c.label for c in twelve.columns if c.show_label] == ["w1", "w3", "w5", "w7", "w9", "w11"]
    assert all(c.show_label for c in ten.columns)
