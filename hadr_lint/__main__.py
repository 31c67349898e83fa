from hadr_lint.cli import run

run()
