"""The numbers: the KPI catalogue (kpi), step 10's figures (metrics), CLV models and what-if calculators.
"""
