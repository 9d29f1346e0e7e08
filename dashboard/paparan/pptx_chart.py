"""Native PowerPoint charts from a deck's charts: horizontal bars (grouped or stacked) and lines with markers, whose data
sheet holds the values at full precision, so staff restyle a chart without retyping a number."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.ns import qn
from pptx.util import Pt

from dashboard.paparan.model import Chart, figure_text
from dashboard.paparan.pptx_text import FILL, MUTED, Box, Part, emu, fit, language, write

SERIES = ("1F4E79", "6A9BC8", "B7CDE3", "7A8594", "C9A227")  # several series: a blue ramp reads as an order
CHART_TYPE = {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "stacked": XL_CHART_TYPE.BAR_STACKED, "line": XL_CHART_TYPE.LINE_MARKERS}


def number_format(decimals: int) -> str:
    """The chart's number format code: "#,##0.0" for one decimal; PowerPoint writes it in the viewer's locale (1.234,5)."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


class _Workbook(CategoryWorkbookWriter):
    """The chart's data sheet, dated at the deck's as-of time rather than at export."""

    def __init__(self, chart_data, created: dt.datetime):
        super().__init__(chart_data)
        self._created = created

    def _populate_worksheet(self, workbook, worksheet):
        workbook.set_properties({"created": self._created, "author": "Pantau"})
        super()._populate_worksheet(workbook, worksheet)


class _ChartData(CategoryChartData):
    def __init__(self, created: dt.datetime, number_format: str):
        super().__init__(number_format)
        self._created = created

    @cached_property
    def _workbook_writer(self):
        return _Workbook(self, self._created)


def chart(s, block: Chart, box: Box, lang: str, created: dt.datetime) -> None:
    """A native chart in `box`: target as a dashed "Target" series on a line, in the title of bars; status colours on
    single-series bars; `created` (naive UTC) dates its data sheet."""
    code = number_format(block.decimals)
    data = _ChartData(created, code)
    data.categories = block.categories
    for series in block.series:
        data.add_series(series.name, series.values, code)
    line = block.chart == "line"
    if line and block.target is not None:
        data.add_series("Target", [block.target] * len(block.categories), code)
    frame = s.shapes.add_chart(CHART_TYPE[block.chart], *emu(box), data)
    frame.name = f"Chart: {block.title}"
    native = frame.chart
    native.font.size = Pt(12)
    native.font.language_id = language(lang)
    title = block.title
    if not line and block.target is not None:
        title += f" · target {figure_text(block.target, block.decimals, block.unit, lang)}"
    native.has_title = True
    write(native.chart_title.text_frame, [Part(title, 16, True)], fit([Part(title, 16, True)], Box(0, 0, box.w, 0.75), 0.7), lang)
    values = native.value_axis
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = RGBColor(0xD9, 0xDE, 0xE5)
    values.tick_labels.number_format, values.tick_labels.number_format_is_linked = code, False
    values.format.line.fill.background()
    if block.maximum is not None:
        values.maximum_scale = block.maximum
    if block.unit:
        values.has_title = True
        write(values.axis_title.text_frame, [Part(block.unit, 12, False, MUTED)], 1.0, lang)
    plot = native.plots[0]
    if not line:
        values.minimum_scale = min([0.0, *(v for series in block.series for v in series.values if v is not None)])
        native.category_axis.reverse_order = True  # the first category on top, as it reads
        native.category_axis.crosses = XL_AXIS_CROSSES.MAXIMUM  # and the value axis stays at the bottom
        plot.gap_width = 60
        if block.chart == "bar":
            plot.has_data_labels = True
            _labels(plot.data_labels, code, XL_LABEL_POSITION.OUTSIDE_END)
    for i, series in enumerate(plot.series):
        own = block.series[i].status if i < len(block.series) else None
        fill = RGBColor.from_string(FILL[own] if own else SERIES[i % len(SERIES)])
        if line and series.name == "Target" and i == len(block.series):
            series.format.line.color.rgb = RGBColor.from_string(FILL["red"])
            series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
            series.format.line.width = Pt(1.75)
            series.marker.style = XL_MARKER_STYLE.NONE
        elif line:
            series.smooth = False
            series.format.line.color.rgb = fill
            series.format.line.width = Pt(2.5)
            series.marker.style, series.marker.size = XL_MARKER_STYLE.CIRCLE, 7
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = fill
            series.marker.format.line.color.rgb = fill
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = fill
            if block.chart == "stacked":
                _hide_empty_labels(series, block.series[i].values, code)
    if not line and len(block.series) == 1 and block.statuses:
        for point, status in zip(plot.series[0].points, block.statuses, strict=False):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = RGBColor.from_string(FILL[status])
    native.has_legend = len(plot.series) > 1
    if native.has_legend:
        native.legend.position, native.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
        native.legend.font.size = Pt(12)


def _labels(labels, code: str, position) -> None:
    labels.number_format, labels.number_format_is_linked, labels.show_value = code, False, True
    labels.font.size = Pt(11)
    labels.position = position


def _hide_empty_labels(series, values, code: str) -> None:
    """No "0" printed on a stacked segment that is not there: the series' own labels, deleted where it has no value."""
    _labels(series.data_labels, code, XL_LABEL_POSITION.CENTER)
    labels = series._element.dLbls
    for idx, value in enumerate(values):
        if not value:
            label = labels.get_or_add_dLbl_for_point(idx)
            for child in list(label)[1:]:
                label.remove(child)
            etree.SubElement(label, qn("c:delete")).set("val", "1")
