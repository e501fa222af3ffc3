"""The programmes' pure rules: reading source dates (``periods``), the review of a
proposal as a transition table (``review``) and weighted scoring (``scoring``).

Standard library only, no Django, no clock, no floats, like ``compliance.rules`` and
``subsidies.rules``; a test scans their imports to keep them so.
"""
