"""chainmap: an industrial-chain matchmaking engine for investment-promotion (招商引资) teams.

The layers depend one way: ``model ← io ← store ← analysis/scoring ← cli/app``.

>>> import chainmap
>>> chainmap.__version__
'0.1.0'
"""
__version__ = "0.1.0"
