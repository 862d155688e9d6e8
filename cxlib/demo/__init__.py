"""The demo workbook (build) and seeded synthetic answers, tickets and events (data) for demos and benchmarks.
"""
