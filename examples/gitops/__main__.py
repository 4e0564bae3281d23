"""GitOps: the routing table in git is the truth (program in `gitops_program.py`)."""

from gitops_program import program

program()
