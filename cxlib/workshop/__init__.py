"""Facilitation on the shared screen: agenda, timers, quick capture and dot voting.
"""
