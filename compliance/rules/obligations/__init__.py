"""One function per obligation of Chapter 2 and Art. 10-1, grouped by chapter.

Every check takes the facts of one premises, the rule-book parameters in force on
``on`` and the date, and returns findings. Before the ordinance took effect
(Art. 20) every check returns no findings.
"""
