"""Response times in public: medians and shares computed in SQL, the page, the CSV."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koproduktion.core.tests.factories import DepartmentFactory, MunicipalityFactory
from koproduktion.ideas.services import idea_withdraw
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.routing import statistics

from .factories import arrived

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def figures():
    town = MunicipalityFactory(name="Musterort", answer_within_days=14)
    a = DepartmentFactory(municipality=town, name="Amt A")
    b = DepartmentFactory(municipality=town, name="Amt B")
    DepartmentFactory(municipality=town, name="Amt C")  # nothing arrived: no figures
    project = ProjectFactory(municipality=town, department=a)
    for after in (2, 4, 30):
        arrived(project, days_ago=40, answered_after=after)
    arrived(project, days_ago=20)  # past the promise, unanswered: counts, not in time
    arrived(project, days_ago=3)  # still within the promise: counts neither way
    withdrawn = arrived(project, days_ago=20)
    idea_withdraw(actor=withdrawn.idea.author, idea=withdrawn.idea)  # owed no answer
    arrived(project, days_ago=500, answered_after=100)  # older than twelve months
    for after in (1, 3):
        arrived(project, days_ago=35, answered_after=after, department=b)
    return town, a, b


def test_median_and_share_per_department_and_for_the_town(figures):
    town, _a, _b = figures
    rows = {row.label: row for row in statistics.by_department(municipality=town)}
    whole = rows["Musterort"]
    assert (whole.counted, whole.answered, whole.in_time) == (6, 5, 4)
    assert whole.median_days == pytest.approx(3)  # 1, 2, 3, 4, 30
    assert whole.percent_in_time == 67
    assert (rows["Amt A"].counted, rows["Amt A"].in_time) == (4, 2)
    assert rows["Amt A"].median_days == pytest.approx(4)  # 2, 4, 30
    assert rows["Amt B"].median_days == pytest.approx(2)  # 1, 3: the mean of the middle two
    assert rows["Amt B"].percent_in_time == 100
    assert rows["Amt C"].median_days is None
    assert rows["Amt C"].percent_in_time is None


def test_by_month_has_twelve_months_with_the_figures_where_theyarrived(figures):
    town, _a, b = figures
    months = statistics.by_month(municipality=town)
    assert len(months) == 12
    assert months[-1].key == timezone.localdate().replace(day=1)
    assert sum(row.counted for row in months) == 6
    assert sum(row.answered for row in months) == 5
    only_b = statistics.by_month(municipality=town, department=b)
    arrived = timezone.localdate(timezone.now() - 35 * DAY).replace(day=1)
    assert [row.median_days for row in only_b if row.counted] == [pytest.approx(2)]
    assert next(row for row in only_b if row.counted).key == arrived


def test_each_chart_is_one_query(figures, django_assert_num_queries):
    town, *_ = figures
    with django_assert_num_queries(2):  # the figures, the names of the departments
        statistics.by_department(municipality=town)
    with django_assert_num_queries(1):
        statistics.by_month(municipality=town)
    with django_assert_num_queries(1):  # from the cache now; the names are read again
        statistics.by_department(municipality=town)


def test_the_page_shows_charts_with_words_and_tables(client, figures):
    town, _a, b = figures
    response = client.get(reverse("routing:response_times", args=[town.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<svg role="img" aria-labelledby=') == 2
    assert '<title id="chart-departments-title">' in page
    assert "Musterort: 67 %." in page  # the chart's description says what it shows
    assert '<td data-label="rechtzeitig">4 (67 %)</td>' in page
    assert '<td data-label="Median Tage bis zur Antwort">3,0</td>' in page
    assert f'href="?fachbereich={b.pk}#monate"' in page
    assert "binnen 14 Tagen" in page
    # The drawing's numbers are SVG's, with a point, whatever the page's language writes.
    assert not re.search(r'\b(?:x|y|x1|x2|y1|y2|width|height)="[^"]*,', page)
    assert 'y="' in page
    page = client.get(
        reverse("routing:response_times", args=[town.slug]) + f"?fachbereich={b.pk}"
    ).content.decode()
    assert "nach Monat: Amt B" in page


@pytest.mark.parametrize("wanted", ["abc", "99999999999999999999", "0"])
def test_an_unknown_department_is_not_found(client, figures, wanted):
    town, *_ = figures
    url = reverse("routing:response_times", args=[town.slug]) + f"?fachbereich={wanted}"
    assert client.get(url).status_code == 404


def test_the_figures_download_as_csv(client, figures):
    town, *_ = figures
    response = client.get(reverse("routing:response_times_csv", args=[town.slug]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][1] == "Fachbereich oder Monat"
    assert ["Fachbereich", "Musterort", "6", "5", "4", "67", "3.0"] in rows
    assert len([row for row in rows if row[0] == "Monat"]) == 12


def test_the_page_costs_the_same_queries_for_few_or_many_contributions(client, figures):
    town, *_ = figures
    small = MunicipalityFactory()
    DepartmentFactory(municipality=small)
    arrived(ProjectFactory(municipality=small), days_ago=30, answered_after=2)

    def queries(municipality) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("routing:response_times", args=[municipality.slug]))
        return len(captured)

    assert queries(small) == queries(town)
