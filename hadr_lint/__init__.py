"""hadr-lint: high-availability and disaster-recovery linter for Terraform and CloudFormation.

Python API (see ``hadr_lint.api``): ``hadr_lint.scan(paths, ...)`` returns a ``ScanResult``;
``hadr_lint.exit_code(result)`` the command line's verdict. Both are imported on first use, so
``import hadr_lint`` stays light.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "exit_code", "scan"]


def __getattr__(name: str):
    if name in ("scan", "exit_code", "ScanRefused"):
        from hadr_lint import api

        return getattr(api, name)
    raise AttributeError(f"module 'hadr_lint' has no attribute {name!r}")
