"""Reading files: CSV/XLSX exports of survey, ticket and CRM tools, and whole-workbook JSON.

Knows no strategy step: a step describes the columns it wants and the readers read them.
"""
