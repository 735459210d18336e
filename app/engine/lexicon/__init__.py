"""Word lists the people recognizers share: name lexicons, the gazetteer, table columns.

Data lives in ``resources/`` (loaded once, lazily); this package only reads it.
"""
