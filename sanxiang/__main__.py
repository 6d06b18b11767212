from sanxiang.cli import main

main()
