"""Segmentation pages: dashboard, segment list, migration, run history, policy, the account tab.

Every number comes from the selectors over the accounts the user may see; `?format=xlsx` on a
table page downloads the same rows as a workbook.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.selectors import account_get
from accounts.tabs import account_page_context
from common.exports import workbook_response
from common.filters import refused
from common.pagination import paginate, querystring_without
from common.replica import replica_reads
from common.views import AuthenticatedHttpRequest

from . import dashboards, exports, scopes, selectors, services
from .forms import PolicyForm, RunStartForm
from .labels import cell_label
from .models import DEFAULTS, AnalysisPolicy, AnalysisRun
from .permissions import can_manage_analysis
from .tasks import execute_run

PICKER_RUNS = 100


def _wants_xlsx(request: AuthenticatedHttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def _pick_run(request: AuthenticatedHttpRequest, key: str = "run") -> AnalysisRun | None:
    """The run named in the query string (404 if it is not a complete run), else the latest or None."""
    ref = request.GET.get(key)
    if ref:
        return selectors.run_get(ref=ref)
    return selectors.complete_runs().first()


def _with_tones(matrix: dict[str, Any]) -> dict[str, Any]:
    """Each cell's colour, and the column totals under the matrix."""
    matrix["columns"] = [
        {
            "xyz_class": xyz,
            "count": sum(row["cells"][i]["count"] for row in matrix["rows"]),
            "value": sum(row["cells"][i]["value"] for row in matrix["rows"]),
        }
        for i, xyz in enumerate(selectors.XYZ)
    ]
    for row in matrix["rows"]:
        for cell in row["cells"]:
            cell["tone"] = dashboards.tone(row["abc_class"], cell["xyz_class"])
    return matrix


def _key_rule_label(run: AnalysisRun) -> str:
    rule = run.policy_values.get("key_accounts", DEFAULTS.key_accounts)
    return str(dict(AnalysisPolicy.KeyAccounts.choices).get(rule, rule))


def _basis_label(run: AnalysisRun) -> str:
    basis = run.policy_values.get("basis", DEFAULTS.basis)
    return str(dict(AnalysisPolicy.Basis.choices).get(basis, basis))


def _chart_labels() -> dict[str, str]:
    """The words the charts draw, in the reader's language (analysis-charts.js reads them)."""
    return {
        "cumulative": _("Cumulative share of value"),
        "equal": _("Equal shares"),
        "accounts_share": _("Share of accounts (ranked by value)"),
        # Tooltip: placeholders {x} and {y} take the shares, JavaScript fills them in.
        # xgettext:no-python-format
        "pareto_point": _("{x} % of accounts → {y} % of value"),
        "accounts": _("Accounts"),
        "cv_bins": _("Coefficient of variation of monthly value (bin start)"),
        "mean": _("mean {value}"),
        "value": _("Value"),
        "class": _("Class {name}"),
    }


@login_required
@replica_reads
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    run = _pick_run(request)
    if run is None:
        return render(request, "analysis/dashboard.html", {"run": None})
    figures = scopes.figures(user=request.user, run=run)  # worked out once per run and scope
    matrix = _with_tones(figures["matrix"])
    if _wants_xlsx(request):
        return workbook_response(f"segmentation-run-{run.pk}.xlsx", _dashboard_sheets(request, run, figures))
    pareto, histogram = figures["pareto"], figures["histogram"]
    charts = {
        "labels": _chart_labels(),
        "pareto": [{"x": round(x * 100, 2), "y": round(y * 100, 2)} for x, y in pareto],
        "histogram": {
            **histogram,
            "x": float(histogram["x"]) if histogram["x"] is not None else None,
            "y": float(histogram["y"]) if histogram["y"] is not None else None,
        },
    }
    context = {
        "run": run,
        "runs": selectors.complete_runs()[:PICKER_RUNS],
        "matrix": matrix,
        "concentration": figures["concentration"],
        "key_rule": _key_rule_label(run),
        "basis_label": _basis_label(run),
        "key_rule_is_flagged": run.policy_values.get("key_accounts", DEFAULTS.key_accounts) != "abc_a",
        "histogram": histogram,
        "charts": charts,
        "can_manage": can_manage_analysis(request.user),
    }
    return render(request, "analysis/dashboard.html", context)


def _dashboard_sheets(request: AuthenticatedHttpRequest, run: AnalysisRun, figures: dict[str, Any]) -> list:
    """The dashboard's tables, a sheet each, over what the user sees: the matrix, the run's segments,
    the Pareto curve, the concentration and the migration from the complete run before it."""
    segments = dashboards.segment_list(user=request.user, run=run).rows
    visible = scopes.iter_with_visible_figures(user=request.user, run=run, segments=segments)
    sheets = [
        exports.matrix_sheet(figures["matrix"]),
        exports.segments_sheet(visible),
        exports.pareto_sheet(figures["pareto"]),
        exports.concentration_sheet(figures["concentration"], _key_rule_label(run)),
    ]
    before = selectors.run_before(run)
    if before is None:
        return [*sheets, exports.no_migration_sheet()]
    return [
        *sheets,
        *exports.migration_sheets(selectors.migration(user=request.user, before=before, after=run)),
    ]


@login_required
@replica_reads
def segment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    run = _pick_run(request)
    if run is None:
        return render(request, "analysis/segments.html", {"run": None})
    segments = dashboards.segment_list(user=request.user, run=run, filters=request.GET)
    status = refused(request, segments)
    if _wants_xlsx(request) and status == 200:
        visible = scopes.iter_with_visible_figures(user=request.user, run=run, segments=segments.rows)
        return workbook_response(f"segments-run-{run.pk}.xlsx", [exports.segments_sheet(visible)])
    chosen = segments.cleaned
    # Counted from the run's figures for the scope, not by a COUNT over every visible segment.
    count = scopes.segment_count(user=request.user, run=run, chosen=chosen) if status == 200 else None
    page = paginate(request, segments.rows, count=count)
    page.object_list = scopes.with_visible_figures(
        user=request.user, run=run, segments=list(page.object_list)
    )
    context = {
        "run": run,
        "runs": selectors.complete_runs()[:PICKER_RUNS],
        "filters": {k: chosen.get(k) or "" for k in ("abc_class", "xyz_class")},
        "classes": {"abc": selectors.ABC, "xyz": selectors.XYZ},
        "page": page,
        "sort": chosen.get("ordering") or "rank",
        "query_without_page": querystring_without(request, "page"),
        "query_without_sort": querystring_without(request, "page", "ordering"),
        "query_without_format": querystring_without(request, "page", "format"),
    }
    return render(request, "analysis/segments.html", context, status=status)


@login_required
@replica_reads
def migration(request: AuthenticatedHttpRequest) -> HttpResponse:
    latest = list(selectors.complete_runs()[:2])
    after = selectors.run_get(ref=request.GET["after"]) if request.GET.get("after") else None
    before = selectors.run_get(ref=request.GET["before"]) if request.GET.get("before") else None
    after = after or (latest[0] if latest else None)
    # By default the run before `after` by date (a re-run of the same date shows no movement).
    before = before or (after and selectors.run_before(after)) or (latest[1] if len(latest) > 1 else None)
    if before is None or after is None:
        return render(request, "analysis/migration.html", {"result": None})
    result = selectors.migration(user=request.user, before=before, after=after)
    if _wants_xlsx(request):
        name = f"migration-{before.pk}-to-{after.pk}.xlsx"
        return workbook_response(name, exports.migration_sheets(result))
    context = {"result": result, "runs": selectors.complete_runs()[:PICKER_RUNS], "before": before,
               "after": after}  # fmt: skip
    return render(request, "analysis/migration.html", context)


@login_required
@replica_reads
def run_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RunStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_manage_analysis(request.user):
            raise PermissionDenied
        if form.is_valid():
            return _start_run(request, form)
    history = dashboards.run_history(user=request.user, filters=request.GET)
    status = refused(request, history)
    runs = history.rows
    if _wants_xlsx(request) and status == 200:
        listed = list(runs)
        visible = dashboards.visible_counts(user=request.user, runs=listed)
        return workbook_response("analysis-runs.xlsx", [exports.runs_sheet(listed, visible)])
    page = paginate(request, runs)
    visible = dashboards.visible_counts(user=request.user, runs=list(page))
    for run in page:
        run.visible_count = visible.get(run.pk, 0)
    context = {"page": page, "form": form, "can_manage": can_manage_analysis(request.user), "filter": history,
               "query": querystring_without(request, "page")}  # fmt: skip
    return render(request, "analysis/runs.html", context, status=status)


def _start_run(request: AuthenticatedHttpRequest, form: RunStartForm) -> HttpResponse:
    try:
        run = services.run_create(
            by=request.user, as_of=form.cleaned_data["as_of"], trigger=AnalysisRun.Trigger.MANUAL
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        transaction.on_commit(lambda: execute_run.delay(run.pk))
        as_of = date_format(run.as_of, "SHORT_DATE_FORMAT")
        started = _("Run #%(id)s as of %(as_of)s started.") % {"id": run.pk, "as_of": as_of}
        messages.success(request, started)
    return redirect("analysis:runs")


@login_required
def policy(request: AuthenticatedHttpRequest) -> HttpResponse:
    can_manage = can_manage_analysis(request.user)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    current = services.policy_current()
    posted = request.method == "POST"
    form = PolicyForm(request.POST if posted else None, instance=AnalysisPolicy() if posted else current)
    if posted and form.is_valid():
        try:
            new = services.policy_update(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Policy #%(id)s is now in force for the next runs.") % {"id": new.pk})
            return redirect("analysis:policy")
    context = {
        "current": current,
        "form": form,
        "can_manage": can_manage,
        "page": paginate(request, dashboards.policy_history()),
    }
    return render(request, "analysis/policy.html", context)


@login_required
def account_tab(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = account_get(user=request.user, pk=pk)
    context = account_page_context(user=request.user, account=account, tab="analysis")
    history = scopes.with_visible_figures_of_runs(
        user=request.user, segments=selectors.account_history(account=account)
    )
    latest = history[-1] if history else None
    context.update(history=list(reversed(history)), latest=latest)
    if latest is not None:
        series = dashboards.account_monthly_series(account=account, run=latest.run)
        context["series"] = series
        context["basis_label"] = _basis_label(latest.run)
        context["chart"] = {
            "labels": {
                **_chart_labels(),
                "monthly": _("Monthly %(basis)s") % {"basis": _basis_label(latest.run).lower()},
            },
            "series": series,
            "mean": float(latest.monthly_mean),
            "std": float(latest.monthly_std),
            "history": [
                {
                    "label": date_format(s.run.as_of, "SHORT_DATE_FORMAT"),
                    "value": float(s.value),
                    "abc": s.abc_class,
                    "xyz": s.xyz_class,
                    "cell": cell_label(s.abc_class, s.xyz_class),
                }
                for s in history
            ],
        }
    return render(request, "analysis/account_tab.html", context)
