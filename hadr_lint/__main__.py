from hadr_lint.cli import main

main()
