"""Reports: what the workbench shows people (command-line text and JSON now; workbook and HTML later)."""
