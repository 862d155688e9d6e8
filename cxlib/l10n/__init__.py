"""Languages: message catalogues and plural rules (i18n), locale numbers, money and dates (formats), digits.

Imports nothing else of ours, so every layer may use it.
"""
