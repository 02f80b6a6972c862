from dhrkg.cli import main

main()
