"""项目库: the register the measures run on (issue #13).

Every project's life from entry to post-evaluation, recorded as appended events in a database
(SQLite by default, PostgreSQL for shared use), with the obligations those events start and
their deadlines counted as the Civil Code and the State Council's holiday arrangement say.

This is a layer of its own beside the July pipeline: it may use intake, policy and planner
types, and nothing below it imports it. The planner receives commitments and track records as
plain data, whether they come from a file or from here.
"""
