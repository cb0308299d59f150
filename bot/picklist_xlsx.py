"""The printable pick list: one sheet, a page per building, the header row on every page, fit to width."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl

from bot.picklist import Building

# Attributes, not submodule imports: openpyxl ships no type stubs and only its top level is
# declared untyped to mypy (pyproject), so its classes are reached through the package.
Font = openpyxl.styles.Font
Alignment = openpyxl.styles.Alignment
Break = openpyxl.worksheet.pagebreak.Break

HEADER = ("楼栋", "单元", "地址", "姓名", "电话", "物品", "工单", "已配 ✓")
_WIDTHS = (10, 6, 18, 10, 14, 44, 10, 8)
_THIN = openpyxl.styles.Side(style="thin")
_BOX = openpyxl.styles.Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def write_xlsx(heading: str, buildings: Sequence[Building], path: Path) -> Path:
    """Write the pick list to ``path`` (readable by its owner only: it holds phones); returns it."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "配菜单"
    sheet.append([heading])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(HEADER))
    for cell in sheet[2]:
        cell.font, cell.border = Font(bold=True), _BOX
    for i, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width = width
    for n, b in enumerate(buildings):
        sheet.append([f"{b.label}（{len(b.homes)} 户）"])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        for h in b.homes:
            sheet.append([b.label, h.unit, h.address, h.name, h.phone, "、".join(h.items),
                          "、".join(h.tickets), "□"])
            for cell in sheet[sheet.max_row]:
                cell.border = _BOX
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if n < len(buildings) - 1:  # each building on its own pages: one stack of bags per sheet
            sheet.row_breaks.append(Break(id=sheet.max_row))
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    book.save(path)
    path.chmod(0o600)
    return path
