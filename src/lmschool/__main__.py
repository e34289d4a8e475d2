from lmschool.cli import main

main()
