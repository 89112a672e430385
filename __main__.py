"""`python -m jixiao`: the same as the `jixiao` command."""

from jixiao.entry import main

main()
