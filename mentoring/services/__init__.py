"""Writes with rules for the mentoring app, one module per concern.

- ``ask``: asking a system with a guidance pack in force.
- ``feedback``: field reports and the loop on them.
- ``triage``: owners' decisions (the only place points are earned here).
- ``guidance``: compiling, publishing and exporting guidance packs.
- ``evals``: running the eval suite and its automatic verdicts.
"""
