"""The scan formatters: each module turns one ScanResult into text for ``--format`` (text, JSON,
SARIF, JUnit, GitHub, GitLab; ``external`` renders other tools' runs, ``notes`` condenses notes).
``hadr_lint.report.FORMATS`` names them."""
