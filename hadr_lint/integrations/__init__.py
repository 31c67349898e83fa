"""Bridges to other IaC linters: a cfn-lint rule pack (``cfn_lint``) and a checkov runner
(``checkov``). Neither is imported by the plain scan path."""
