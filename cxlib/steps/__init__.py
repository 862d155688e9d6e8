"""The ten strategy steps, one module each: their records, rules and derived views.
"""
