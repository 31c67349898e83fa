"""The posture report (``hadr-lint report``): ``report.render`` assembles it, ``markdown`` and
``html`` write it, with the picture (``hadr_lint.report.picture``) inside."""
