"""The cross-sell walk: a department head opens a group's white space from the group structure page,
turns a highlighted cell into a task, and the task waits on the owner KAM's task list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dossiers.models import Task
from tests.management.white_space_data import build_group

pytestmark = pytest.mark.e2e


def test_head_turns_a_white_space_cell_into_a_task_for_the_owner(
    page: Page, log_in, snap, head, kam, outsider, department
):
    _top, finland, _sweden = build_group(
        top_owner=outsider, s1_owner=kam, s2_owner=outsider, department=department
    )
    log_in("head")
    page.goto(f"/accounts/{finland.pk}/hierarchy/")
    expect(page.locator(".group-revenue-total")).to_contain_text("4,500")
    snap("group-structure-with-revenue")

    page.get_by_role("link", name="Cross-sell white space").click()
    expect(page).to_have_url(re.compile(rf"/accounts/{finland.pk}/white-space/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tundra Group group")
    cells = page.locator("td.opportunity")
    expect(cells).to_have_count(3)
    cell = page.locator(f'td.opportunity[data-account="{finland.pk}"][data-line="PIPES"]')
    expect(cell).to_contain_text("600 ")
    snap("white-space-matrix")

    cell.get_by_role("button", name="Task").click()
    expect(page.locator(".alert-success")).to_contain_text("Task created for")
    snap("task-created")
    task = Task.objects.get(account=finland)
    assert task.owner == kam and "PIPES" in task.title

    page.context.clear_cookies()
    log_in("owner")
    page.goto("/tasks/")
    expect(page.get_by_text(task.title)).to_be_visible()
    snap("owner-tasks")
