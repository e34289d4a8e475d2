from lmschool.client import main

main()
