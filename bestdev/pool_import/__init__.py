"""Importing a pool from what companies keep: a skills matrix (CSV or Excel), a long CSV, a people CSV, a pool JSON.

`tables` reads a file into rows, `headers` says which column is which, `formats` turns rows into people,
`skill_names` maps what people wrote to the vocabulary's names, `merge` puts everyone into one pool and reports
what it did, `write` replaces the output file in one step.
"""
